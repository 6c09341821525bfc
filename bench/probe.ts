/**
 * A 20 Hz HTTP probe: counts the requests that fail while a deploy runs. It keeps connections alive, as
 * browsers do, and as they do (and curl, and Go's client: RFC 9112 §9.3.1) it sends a GET again, once and
 * at once, when a kept-alive connection it reused was closed before any answer came: a server that
 * closes idle connections (Caddy on each config change, any server stopping) races a request sent on
 * one at that instant. Those are counted apart (`retried`); a request counts as failed when it is
 * refused, answered 5xx/4xx, times out, or fails on a fresh connection or again on the retry.
 */
import { Agent, get } from 'node:http';

export interface ProbeCounts {
  readonly sent: number;
  readonly failed: number;
  /** Each failed request: when it was sent (ISO time) and how it failed. */
  readonly failures: readonly string[];
  /** Requests sent again because a kept-alive connection was closed under them before any answer (then answered). */
  readonly retried: number;
  readonly retries: readonly string[];
}

/**
 * `timeoutMs`: how long one request may take before it counts as failed (a test on a loaded machine gives
 * more: what it counts is refused or 5xx requests, not slow ones).
 */
export function startProbe(url: string, hz = 20, timeoutMs = 1000): { stop(): Promise<ProbeCounts> } {
  const agent = new Agent({ keepAlive: true });
  let sent = 0;
  const failures: string[] = [];
  const retries: string[] = [];
  const pending = new Set<Promise<void>>();
  const probeOnce = async (at: string): Promise<void> => {
    const first = await request(url, agent, timeoutMs);
    if (first.ok) return;
    if (!first.closedReused) {
      failures.push(`${at} ${first.how}`);
      return;
    }
    const again = await request(url, agent, timeoutMs);
    if (again.ok) retries.push(`${at} ${first.how}`);
    else failures.push(`${at} ${first.how}, then on the retry ${again.how}`);
  };
  const timer = setInterval(() => {
    sent++;
    const done = probeOnce(new Date().toISOString()).finally(() => pending.delete(done));
    pending.add(done);
  }, 1000 / hz);
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all(pending);
      agent.destroy();
      return { sent, failed: failures.length, failures, retried: retries.length, retries };
    },
  };
}

type Answer = { readonly ok: true } | { readonly ok: false; readonly how: string; readonly closedReused: boolean };

/** One GET: ok on 2xx/3xx; else how it failed, and whether it was a reused connection closed before any answer. */
function request(url: string, agent: Agent, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve) => {
    let answered = false;
    const req = get(url, { agent, timeout: timeoutMs }, (res) => {
      answered = true;
      res.resume();
      res.on('end', () =>
        resolve((res.statusCode ?? 0) < 400 ? { ok: true } : { ok: false, how: `answered ${res.statusCode}`, closedReused: false }),
      );
      res.on('error', (error) => resolve({ ok: false, how: String(error), closedReused: false }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) => {
      const closed = error.code === 'ECONNRESET' || error.message === 'socket hang up';
      resolve({ ok: false, how: `${error.code ?? ''} ${error.message}`.trim(), closedReused: req.reusedSocket && closed && !answered });
    });
  });
}
