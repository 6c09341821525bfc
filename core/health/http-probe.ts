/** Fetches a health URL as the server sees it: the TCP connection is opened by the executor (through SSH). */
import { request } from 'node:http';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import type { Executor } from '../exec/executor.js';
import { showUrl } from '../redact.js';
import type { CheckVerdict } from './wait-healthy.js';

export type ProbeResult = { readonly ok: true; readonly status: number } | { readonly ok: false; readonly reason: string };

/**
 * One GET; 2xx is healthy. Never throws, and always settles within `timeoutMs`, opening the
 * connection included: the verdict is the status line, so the body is never read (an endpoint that
 * streams, or answers with 50 MB, is judged at its headers), and a server that does not answer, or
 * trickles its headers, is given up at the deadline. `signal` (the run's) ends it sooner. Reasons
 * show the URL with its password redacted.
 */
export async function probeHttp(executor: Executor, url: URL, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
  const deadline = AbortSignal.timeout(timeoutMs);
  const stop = signal ? AbortSignal.any([deadline, signal]) : deadline;
  const stopped = (): ProbeResult => ({
    ok: false,
    reason: `${showUrl(url)}: ${deadline.aborted ? `no answer within ${timeoutMs / 1000}s` : 'the request was stopped'}`,
  });
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let socket: Duplex;
  try {
    socket = await openUnder(executor, host, port, stop);
  } catch (error) {
    if (stop.aborted) return stopped();
    return { ok: false, reason: `cannot connect to ${host}:${port} from ${executor.where}: ${(error as Error).message}` };
  }
  // Only a host name goes in the TLS server name (SNI): an IP address there is refused by some servers.
  const stream = url.protocol === 'https:' ? tlsConnect({ socket, servername: isIP(host) ? undefined : host }) : socket;
  const result = await statusOver(stream, url, stop);
  stream.destroy();
  socket.destroy();
  return result ?? stopped();
}

/**
 * Sends the GET over `stream` and resolves at the response's status line, or `undefined` once
 * `stop` ends it. Whatever is left (a body, a half-sent header) is never read.
 */
function statusOver(stream: Duplex, url: URL, stop: AbortSignal): Promise<ProbeResult | undefined> {
  return new Promise((resolve) => {
    // `http:` whatever the URL says: for https the stream is already TLS, and node:http refuses an https: URL.
    const options = {
      method: 'GET',
      protocol: 'http:',
      createConnection: () => stream as never,
      headers: { 'user-agent': 'berth-health-check' },
    };
    const req = request(url, options, (res) => {
      const status = res.statusCode ?? 0;
      settle(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, reason: `${showUrl(url)} answered ${status}` });
    });
    const settle = (result: ProbeResult | undefined): void => {
      stop.removeEventListener('abort', onStop);
      req.destroy();
      resolve(result);
    };
    const onStop = (): void => settle(undefined);
    req.on('error', (error) => settle({ ok: false, reason: `${showUrl(url)}: ${requestError(error)}` }));
    if (stop.aborted) return settle(undefined);
    stop.addEventListener('abort', onStop, { once: true });
    req.end();
  });
}

/** Opens the TCP connection unless `stop` ends first (a host that drops SYNs keeps it pending for minutes); a late one is closed. */
function openUnder(executor: Executor, host: string, port: number, stop: AbortSignal): Promise<Duplex> {
  if (stop.aborted) return Promise.reject(new Error('stopped'));
  const opening = executor.openTcp(host, port);
  return new Promise((resolve, reject) => {
    const onStop = (): void => {
      reject(new Error('stopped'));
      opening.then(
        (late) => late.destroy(),
        () => undefined, // it failed after the deadline: nothing to close, and the verdict is given already
      );
    };
    stop.addEventListener('abort', onStop, { once: true });
    opening.then(
      (socket) => {
        stop.removeEventListener('abort', onStop);
        resolve(socket);
      },
      (error: unknown) => {
        stop.removeEventListener('abort', onStop);
        reject(error as Error);
      },
    );
  });
}

/** A request's error in a line; OpenSSL's for a port that answers plain HTTP says so. */
function requestError(error: Error): string {
  if (/wrong version number|packet length too long/.test(error.message)) return 'it does not answer TLS (a plain http:// port?)';
  return error.message.split('\n')[0]?.trim() ?? '';
}

/** How long one health URL request may take. */
export const HEALTH_URL_TIMEOUT_MS = 5000;

/** The next stage of a health check: a healthy verdict holds only once `url` (when there is one) answers 2xx. */
export async function thenHealthUrl(
  verdict: CheckVerdict,
  executor: Executor,
  url: URL | undefined,
  signal?: AbortSignal,
): Promise<CheckVerdict> {
  if (verdict.kind !== 'healthy' || !url) return verdict;
  const probe = await probeHttp(executor, url, HEALTH_URL_TIMEOUT_MS, signal);
  return probe.ok ? verdict : { kind: 'waiting', reason: probe.reason };
}
