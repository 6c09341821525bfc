/** Fetches a health URL as the server sees it: the TCP connection is opened by the executor (through SSH). */
import { request } from 'node:http';
import { connect as tlsConnect } from 'node:tls';
import type { Executor } from '../exec/executor.js';
import { showUrl } from '../redact.js';
import type { CheckVerdict } from './wait-healthy.js';

export type ProbeResult = { readonly ok: true; readonly status: number } | { readonly ok: false; readonly reason: string };

/**
 * One GET; 2xx is healthy. Never throws; `signal` (the run's) ends a request that has not answered.
 * Reasons show the URL with its password redacted.
 */
export async function probeHttp(executor: Executor, url: URL, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let socket;
  try {
    socket = await executor.openTcp(host, port);
  } catch (error) {
    return { ok: false, reason: `cannot connect to ${host}:${port} from ${executor.where}: ${(error as Error).message}` };
  }
  const stream = url.protocol === 'https:' ? tlsConnect({ socket, servername: host }) : socket;
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'GET',
        createConnection: () => stream as never,
        timeout: timeoutMs,
        headers: { 'user-agent': 'berth-health-check' },
        ...(signal ? { signal } : {}),
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          resolve(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, reason: `${showUrl(url)} answered ${status}` });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000}s`)));
    req.on('error', (error) => resolve({ ok: false, reason: `${showUrl(url)}: ${error.message}` }));
    req.end();
  });
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
