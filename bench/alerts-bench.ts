/**
 * How soon an alert leaves after the check result that changed the state: the bundled server (a
 * process, SQLite) runs an http check against a local target that flips between up and down, 50
 * times through `POST /api/checks/web/run`; a local webhook receiver notes when each alert arrives.
 * Lag = arrival − (the result's start + its latency). Baseline in the same run: a bare JSON POST
 * from this process to the same receiver.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '../test/bed/system.js';
import { startChatReceiver } from '../test/helpers/chat-receiver.js';
import { startHttpTarget } from '../test/helpers/http-target.js';

export interface LagStats {
  readonly samples: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
}

function lagStats(values: number[]): LagStats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): number => +(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0).toFixed(1);
  return { samples: sorted.length, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: +(sorted[sorted.length - 1] ?? 0).toFixed(1) };
}

async function startServer(dir: string, yaml: string, port: number): Promise<ChildProcess> {
  writeFileSync(join(dir, 'berth.yml'), yaml);
  const child = spawn(process.execPath, [join(process.cwd(), 'dist/server/index.js'), '--config', join(dir, 'berth.yml')], {
    cwd: dir,
    stdio: 'ignore',
  });
  await waitFor('the server', async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok === true, 20_000);
  return child;
}

export async function alertBench(changes: number): Promise<{ alert: LagStats; barePost: LagStats }> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-alert-bench-'));
  let healthy = true;
  const target = await startHttpTarget({ '/health': (_req, res) => (healthy ? res.end('ok') : res.writeHead(503).end('down')) });
  const receiver = await startChatReceiver();
  const port = await freePort();
  const child = await startServer(
    dir,
    `port: ${port}
storage: { url: "sqlite:${dir}/berth.db" }
alerts:
  - { type: webhook, url: "${receiver.url}/hook" }
checks:
  - { name: web, type: http, url: "${target.url}/health", failures: 1, successes: 1, schedule: "0 0 1 1 *" }
`,
    port,
  );
  try {
    const bare: number[] = [];
    for (let i = 0; i < changes; i++) {
      const sent = Date.now();
      await fetch(`${receiver.url}/bare`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"version":1}' });
      bare.push((receiver.received[receiver.received.length - 1]?.at ?? sent) - sent);
    }
    const lags: number[] = [];
    for (let i = 0; i < changes; i++) {
      healthy = i % 2 === 1;
      const response = await fetch(`http://127.0.0.1:${port}/api/checks/web/run`, { method: 'POST' });
      const { result } = (await response.json()) as { result: { at: string; latencyMs: number } };
      const known = Date.parse(result.at) + result.latencyMs;
      const [hook] = (await receiver.waitDelivered(i + 1, '/hook', 10_000)).slice(i);
      lags.push((hook?.at ?? known) - known);
    }
    return { alert: lagStats(lags), barePost: lagStats(bare) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('close', resolve));
    await target.close();
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `npm run bench` entry: BENCH_ALERTS state changes (default 50); prints one line, returns the summary. */
export async function alertsSummary() {
  const changes = Number(process.env.BENCH_ALERTS ?? 50);
  const { alert, barePost } = await alertBench(changes);
  console.log(
    `alert lag after the check result that changed the state (${changes} changes): p50 ${alert.p50Ms} ms, p95 ${alert.p95Ms} ms, max ${alert.maxMs} ms (target p95 ≤ 1000 ms); a bare POST to the same receiver p95 ${barePost.p95Ms} ms`,
  );
  return { changes, alert, barePost };
}
