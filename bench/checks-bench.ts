/**
 * 200 checks due on the same tick against local targets (HTTP and TCP), run by the bundled server:
 * how long after the tick the last of them finished, against the tick interval, and the server's RSS.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '../test/bed/system.js';
import { startHttpTarget } from '../test/helpers/http-target.js';

export interface ChecksBenchResult {
  readonly checks: number;
  readonly intervalSeconds: number;
  /** Per tick: seconds from the tick to the last result, and how many results it had. */
  readonly ticks: ReadonlyArray<{ tick: string; lastDoneSeconds: number; results: number }>;
  readonly peakRssMb: number;
  readonly rssMb: number;
}

const TOKEN = 'bench-token-0123456789abcdef';
const INTERVAL_S = 15;

function memory(pid: number): { peak: number; now: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { peak: Math.round(kb('VmHWM') / 1024), now: Math.round(kb('VmRSS') / 1024) };
}

type Check = { name: string; lastResult: { at: string; latencyMs: number } | null; history: Array<{ at: string; latencyMs: number }> };

export async function checksBench(count: number, ticks: number): Promise<ChecksBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-checks-'));
  // A little latency, as real health endpoints have.
  const target = await startHttpTarget({ '/health': (_req, res) => void setTimeout(() => res.end('ok'), 20) });
  const port = await freePort();
  const lines = Array.from({ length: count }, (_, i) =>
    i % 4 === 3
      ? `  - { name: c${i}, type: tcp, host: 127.0.0.1, port: ${new URL(target.url).port}, schedule: "*/${INTERVAL_S} * * * * *" }`
      : `  - { name: c${i}, type: http, url: "${target.url}/health", contains: ok, schedule: "*/${INTERVAL_S} * * * * *" }`,
  );
  writeFileSync(
    join(dir, 'berth.yml'),
    `port: ${port}\napi-token: ${TOKEN}\nstorage:\n  url: sqlite:${dir}/berth.db\nchecks:\n${lines.join('\n')}\n`,
  );
  let server: ChildProcess | undefined;
  try {
    server = spawn(process.execPath, [join(process.cwd(), 'dist/server/index.js'), '--config', join(dir, 'berth.yml')], {
      stdio: 'ignore',
    });
    await waitFor('the server', async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok === true, 20_000);
    await new Promise((resolve) => setTimeout(resolve, (ticks * INTERVAL_S + 3) * 1000));
    const response = await fetch(`http://127.0.0.1:${port}/api/checks`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    const { checks } = (await response.json()) as { checks: Check[] };
    const byTick = new Map<string, number[]>();
    for (const check of checks)
      for (const result of check.history) {
        const at = Date.parse(result.at);
        const tick = new Date(Math.floor(at / (INTERVAL_S * 1000)) * INTERVAL_S * 1000).toISOString();
        byTick.set(tick, [...(byTick.get(tick) ?? []), at + result.latencyMs - Date.parse(tick)]);
      }
    const mem = memory(server.pid ?? 0);
    return {
      checks: count,
      intervalSeconds: INTERVAL_S,
      ticks: [...byTick.entries()]
        .sort()
        .map(([tick, done]) => ({ tick, lastDoneSeconds: Math.max(...done) / 1000, results: done.length })),
      peakRssMb: mem.peak,
      rssMb: mem.now,
    };
  } finally {
    server?.kill('SIGTERM');
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
