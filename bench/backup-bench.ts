/**
 * A ~1 GB database backed up by the berth server (the bundled server process, through its API)
 * and by `pg_dump | gzip > file` in a shell, in the same run. Reports the time ratio and the
 * server's peak RSS (VmHWM) during the dump.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { splitPassword } from '../core/backup/dump-command.js';
import { freePort, waitFor } from '../test/bed/system.js';
import { createDatabase, query } from '../test/helpers/postgres.js';

export interface BackupRound {
  readonly serverMs: number;
  readonly shellMs: number;
  /** CPU seconds: the server process with its pg_dump; sh with pg_dump and gzip. Less sensitive to a busy machine than wall time. */
  readonly serverCpuSeconds: number;
  readonly shellCpuSeconds: number;
  readonly serverPeakRssMb: number;
  readonly serverBytes: number;
  readonly shellBytes: number;
}

const TOKEN = 'bench-token-0123456789abcdef';

function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Math.round(Number(match?.[1] ?? 0) / 1024);
}

/** CPU seconds a process and its waited-for children (pg_dump) have used: utime, stime, cutime, cstime. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0) / 100;
}

/** `pg_dump | gzip > file` under /usr/bin/time: wall ms, and CPU seconds of sh, pg_dump and gzip. */
function shellBackup(url: string, file: string): Promise<{ ms: number; cpu: number }> {
  const { url: bare, password } = splitPassword(url);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const script = 'pg_dump --no-password --format=plain --no-owner --dbname="$1" | gzip > "$2"';
    const child = spawn('/usr/bin/time', ['-f', 'cpu %U %S', 'sh', '-c', script, 'bench', bare, file], {
      env: { ...process.env, PGPASSWORD: password ?? '' },
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      const [, user, system] = /cpu ([\d.]+) ([\d.]+)/.exec(stderr) ?? [];
      if (code === 0) resolve({ ms: performance.now() - started, cpu: Number(user) + Number(system) });
      else reject(new Error(`shell backup failed: ${code}: ${stderr}`));
    });
  });
}

export async function backupBench(sizeMb: number, rounds: number): Promise<{ databaseMb: number; rounds: BackupRound[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-backup-'));
  const url = await createDatabase('berth_bench_backup');
  // ~300 bytes a row: text that compresses about as well as real data does.
  const rows = Math.round((sizeMb * 1024 * 1024) / 300);
  console.error(`backup bench: seeding ${rows} rows (~${sizeMb} MB) …`);
  await query(
    url,
    `CREATE TABLE events AS SELECT g AS id, now() - g * interval '1 second' AS at, md5(g::text) || ' ' || md5((g * 7)::text) || ' user' || (g % 9973) || ' ' || repeat(md5((g % 1000)::text), 6) AS payload FROM generate_series(1, ${rows}) g`,
  );
  const [{ mb }] = (await query<{ mb: string }>(url, 'SELECT (pg_database_size(current_database()) / 1048576)::text AS mb')) as [
    { mb: string },
  ];
  const port = await freePort();
  writeFileSync(
    join(dir, 'berth.yml'),
    `port: ${port}\napi-token: ${TOKEN}\nstorage:\n  url: sqlite:${dir}/berth.db\nbackups:\n  - name: bench\n    database-url: \${BENCH_DB}\n    dir: ${dir}/server\n`,
  );
  let server: ChildProcess | undefined;
  try {
    server = spawn(process.execPath, [join(process.cwd(), 'dist/server/index.js'), '--config', join(dir, 'berth.yml')], {
      env: { ...process.env, BENCH_DB: url },
      stdio: 'ignore',
    });
    await waitFor('the server', async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok === true, 20_000);
    const serverBackup = async (): Promise<{ ms: number; bytes: number; cpu: number }> => {
      const started = performance.now();
      const cpuBefore = cpuSeconds(server?.pid ?? 0);
      const response = await fetch(`http://127.0.0.1:${port}/api/backups/bench?wait=true`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}` },
      });
      const entry = (await response.json()) as { status: string; sizeBytes: number; error?: string };
      if (entry.status !== 'succeeded') throw new Error(`server backup failed: ${entry.error}`);
      return { ms: performance.now() - started, bytes: entry.sizeBytes, cpu: cpuSeconds(server?.pid ?? 0) - cpuBefore };
    };
    const results: BackupRound[] = [];
    for (let round = 1; round <= rounds; round++) {
      const shellFile = join(dir, `shell-${round}.sql.gz`);
      // Alternate which goes first, so neither always meets a cold cache or the other's leftovers.
      let shellRun: { ms: number; cpu: number };
      let serverRun: { ms: number; bytes: number; cpu: number };
      if (round % 2 === 1) {
        shellRun = await shellBackup(url, shellFile);
        serverRun = await serverBackup();
      } else {
        serverRun = await serverBackup();
        shellRun = await shellBackup(url, shellFile);
      }
      const shellMs = shellRun.ms;
      results.push({
        serverMs: serverRun.ms,
        shellMs,
        serverCpuSeconds: +serverRun.cpu.toFixed(2),
        shellCpuSeconds: +shellRun.cpu.toFixed(2),
        serverPeakRssMb: peakRssMb(server.pid ?? 0),
        serverBytes: serverRun.bytes,
        shellBytes: statSync(shellFile).size,
      });
      rmSync(shellFile);
      for (const old of readdirSync(join(dir, 'server')).filter((f) => f.endsWith('.sql.gz'))) rmSync(join(dir, 'server', old));
      console.error(
        `backup round ${round}: server ${(serverRun.ms / 1000).toFixed(1)}s, shell ${(shellMs / 1000).toFixed(1)}s (ratio ${(serverRun.ms / shellMs).toFixed(2)}); CPU server ${serverRun.cpu.toFixed(1)}s, shell ${shellRun.cpu.toFixed(1)}s; server peak RSS ${results.at(-1)?.serverPeakRssMb} MB`,
      );
    }
    return { databaseMb: Number(mb), rounds: results };
  } finally {
    server?.kill('SIGTERM');
    await query(url.replace(/\/berth_bench_backup$/, '/postgres'), 'SELECT 1').catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
