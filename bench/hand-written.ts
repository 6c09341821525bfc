/**
 * The workflows teams write by hand, run through the system ssh client as a workflow runs them, and
 * the 20 Hz probe that counts the requests failing meanwhile.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningTestbed } from '../test/bed/start-testbed.js';
import { startProbe } from './probe.js';

/** A deploy: `git pull; docker-compose down; build --no-cache; up -d; docker image prune -f`, in the checkout `$1`. */
export const HAND_DEPLOY =
  'cd "$1" && git pull && docker-compose down && docker-compose build --no-cache && docker-compose up -d && docker image prune -f';

/** A rollback to the commit `$2`: `git reset --hard`, then down, build and up again. */
export const HAND_ROLLBACK = 'cd "$1" && git reset --hard "$2" && docker-compose down && docker-compose build && docker-compose up -d';

/** Runs `script` (with `args` as `$1…`) on the test server through `ssh`; rejects when it fails. */
export function handWritten(testbed: RunningTestbed, script: string, args: readonly string[]): Promise<void> {
  const { bed } = testbed;
  const knownHosts = join(bed.dir, 'bench_known_hosts');
  writeFileSync(knownHosts, bed.sshd.knownHosts);
  const quoted = [script, 'hand', ...args].map((word) => `'${word.replaceAll("'", `'\\''`)}'`).join(' ');
  const sshArgs = [
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${knownHosts}`,
    '-i',
    join(bed.dir, 'id_ed25519'),
    '-p',
    String(bed.sshd.port),
    `${bed.user}@127.0.0.1`,
    `sh -c ${quoted}`,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', sshArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`hand-written run failed (${code}): ${stderr.slice(-500)}`))));
  });
}

export interface Timed<T> {
  readonly ms: number;
  /** Probes that failed, of those sent while `fn` ran. */
  readonly failed: number;
  readonly sent: number;
  /** Each failed probe: when it was sent and how it failed. */
  readonly failures: readonly string[];
  /** Probes sent again because a kept-alive connection closed under them (see probe.ts), and when. */
  readonly retries: readonly string[];
  readonly value: T;
}

/** Runs `fn` with a 20 Hz probe on `url`: its wall time and the probes that failed meanwhile. */
export async function timed<T>(url: string, fn: () => Promise<T>): Promise<Timed<T>> {
  const probe = startProbe(url);
  const started = performance.now();
  const value = await fn();
  const ms = performance.now() - started;
  const counts = await probe.stop();
  return { ms, failed: counts.failed, sent: counts.sent, failures: counts.failures, retries: counts.retries, value };
}
