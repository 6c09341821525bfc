/**
 * Signed GitHub deliveries against the bundled server (a process, SQLite storage) on loopback:
 * throughput and latency percentiles of `POST /webhooks/github` (verify, parse, record), and as the
 * baseline in the same run, `GET /healthz` from the same client at the same concurrency.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '../test/bed/system.js';
import { delivery, deploymentStatus } from '../test/helpers/github-webhooks.js';

const SECRET = 'bench-webhook-secret';

export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly statuses: Record<string, number>;
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/** Sends `requests` built by `make(i)` with `concurrency` in flight. */
export async function load(concurrency: number, requests: number, send: (i: number) => Promise<number>): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        const i = next++;
        const t = performance.now();
        const status = await send(i);
        latencies.push(performance.now() - t);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests,
    seconds: +seconds.toFixed(2),
    perSecond: Math.round(requests / seconds),
    p50Ms: +percentile(latencies, 0.5).toFixed(1),
    p99Ms: +percentile(latencies, 0.99).toFixed(1),
    statuses,
  };
}

async function startServer(dir: string, port: number): Promise<ChildProcess> {
  writeFileSync(
    join(dir, 'berth.yml'),
    `port: ${port}\nstorage: { url: "sqlite:${dir}/berth.db" }\ngithub: { webhook-secret: "${SECRET}" }\n`,
  );
  const child = spawn(process.execPath, [join(process.cwd(), 'dist/server/index.js'), '--config', join(dir, 'berth.yml')], {
    cwd: dir,
    stdio: 'ignore',
  });
  await waitFor('the server', async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok === true, 20_000);
  return child;
}

export async function webhookBench(requests: number, concurrency: number): Promise<{ webhook: LoadResult; healthz: LoadResult }> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-webhook-bench-'));
  const port = await freePort();
  const child = await startServer(dir, port);
  try {
    const base = `http://127.0.0.1:${port}`;
    const deliveries = Array.from({ length: requests }, (_, i) =>
      delivery(
        'deployment_status',
        deploymentStatus(1_000_000 + i, i % 2 ? 'success' : 'in_progress', `env-${i % 5}`, 500_000 + (i >> 1)),
        SECRET,
      ),
    );
    await load(concurrency, 200, () => fetch(`${base}/healthz`).then((r) => r.arrayBuffer().then(() => r.status))); // warm-up
    const healthz = await load(concurrency, requests, () => fetch(`${base}/healthz`).then((r) => r.arrayBuffer().then(() => r.status)));
    const webhook = await load(concurrency, requests, (i) => {
      const d = deliveries[i] as (typeof deliveries)[number];
      return fetch(`${base}/webhooks/github`, { method: 'POST', headers: d.headers, body: d.body }).then((r) =>
        r.arrayBuffer().then(() => r.status),
      );
    });
    return { webhook, healthz };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('close', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `npm run bench` entry: BENCH_WEBHOOKS deliveries (default 2,000), 32 in flight; prints one line, returns the summary. */
export async function webhooksSummary() {
  const requests = Number(process.env.BENCH_WEBHOOKS ?? 2000);
  const { webhook, healthz } = await webhookBench(requests, 32);
  const summary = {
    requests,
    concurrency: 32,
    webhook,
    healthzBaseline: healthz,
    throughputRatio: +(webhook.perSecond / healthz.perSecond).toFixed(2),
  };
  console.log(
    `signed webhook deliveries on loopback: ${webhook.perSecond}/s, p50 ${webhook.p50Ms} ms, p99 ${webhook.p99Ms} ms (32 in flight); GET /healthz ${healthz.perSecond}/s, p99 ${healthz.p99Ms} ms → ${summary.throughputRatio}× its throughput`,
  );
  return summary;
}
