/**
 * One backup: pg_dump streamed through gzip into `<dir>/<name>_<YYYYmmdd-HHMMSS>.sql.gz`.
 * Written under a temporary name, fsynced, and renamed only when pg_dump exited 0 and the
 * gzip stream finished; any failure removes the partial file. Memory stays flat: the dump
 * is streamed with backpressure, never buffered.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { constants } from 'node:fs';
import { access, mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { BerthError } from '../errors.js';
import type { DumpCommand } from './dump-command.js';

export class BackupError extends BerthError {
  override readonly name = 'BackupError';
}

export interface BackupFile {
  readonly file: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly durationMs: number;
}

/** `20261124-060000` in UTC, as in the file name. */
export function backupStamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

async function fsyncPath(path: string, flags = 'r'): Promise<void> {
  const handle = await open(path, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function explainFsError(error: NodeJS.ErrnoException, dir: string): string {
  if (error.code === 'EACCES' || error.code === 'EPERM' || error.code === 'EROFS')
    return `the backup folder ${dir} is not writable (${error.code})`;
  if (error.code === 'ENOSPC') return `the disk holding ${dir} is full (ENOSPC)`;
  return error.message;
}

/** Why a folder cannot be created: the nearest existing ancestor tells (a read-only mount reports ENOENT). */
async function explainMkdirError(error: NodeJS.ErrnoException, dir: string): Promise<string> {
  for (let parent = dirname(dir); ; parent = dirname(parent)) {
    try {
      await access(parent, constants.F_OK);
    } catch {
      if (parent === dirname(parent)) break;
      continue;
    }
    try {
      await access(parent, constants.W_OK);
    } catch (accessError) {
      return explainFsError(accessError as NodeJS.ErrnoException, dir);
    }
    break;
  }
  return explainFsError(error, dir);
}

/**
 * Runs the dump; resolves with the finished file or rejects with BackupError, leaving no partial file.
 * zlib compresses on libuv's threadpool, beside pg_dump, as `pg_dump | gzip` uses two processes;
 * only sha256 of the compressed bytes runs on the main thread (~0.3 s a GB). Larger zlib chunks
 * and stage buffers were measured: under 5% less CPU for 10–15 MB more peak memory, so Node's
 * defaults stay (see the backup benchmark in the README).
 */
export async function runBackup(
  name: string,
  dir: string,
  command: DumpCommand,
  now: Date = new Date(),
  signal?: AbortSignal,
): Promise<BackupFile> {
  const started = performance.now();
  const final = join(dir, `${name}_${backupStamp(now)}.sql.gz`);
  const partial = join(dir, `.${name}_${backupStamp(now)}.sql.gz.partial`);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new BackupError(`Backup '${name}' failed: ${await explainMkdirError(error as NodeJS.ErrnoException, dir)}.`);
  }
  const hash = createHash('sha256');
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  const [file, ...args] = command.argv;
  const child = spawn(file ?? 'pg_dump', args, {
    cwd: command.cwd,
    env: { ...process.env, ...command.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const onAbort = (): void => void child.kill('SIGTERM');
  signal?.addEventListener('abort', onAbort, { once: true });
  const stderr: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 64) stderr.push(chunk);
  });
  const exited = new Promise<{ code: number | null; signal: string | null; spawnError?: Error }>((resolve) => {
    child.once('error', (spawnError) => resolve({ code: null, signal: null, spawnError }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  const output = createWriteStream(partial, { flags: 'wx', mode: 0o600 });
  try {
    const [streamed, exit] = await Promise.allSettled([pipeline(child.stdout, createGzip(), tap, output), exited]);
    const result = exit.status === 'fulfilled' ? exit.value : { code: null, signal: null };
    if (result.spawnError)
      throw new BackupError(
        `Backup '${name}' failed: cannot run ${file}: ${result.spawnError.message}.`,
        'Install the PostgreSQL client (pg_dump) on this machine.',
      );
    // A write failure (disk full) also ends pg_dump with a broken pipe: report the cause, not the symptom.
    if (streamed.status === 'rejected')
      throw new BackupError(`Backup '${name}' failed: ${explainFsError(streamed.reason as NodeJS.ErrnoException, dir)}.`);
    if (result.code !== 0) {
      const how = result.code === null ? `was killed by ${result.signal}` : `exited with code ${result.code}`;
      const tail = Buffer.concat(stderr).toString().trim().split('\n').slice(-5).join('\n');
      throw new BackupError(`Backup '${name}' failed: pg_dump ${how}${tail ? `: ${tail}` : ''}.`);
    }
    await fsyncPath(partial, 'r+');
    await rename(partial, final);
    await fsyncPath(dir);
    const sha256 = hash.digest('hex');
    // A sidecar in sha256sum's format, so scripts can check the file without the catalog.
    await writeFile(`${final}.sha256`, `${sha256}  ${final.slice(dir.length + 1)}\n`, { mode: 0o600 });
    return { file: final, sizeBytes: (await stat(final)).size, sha256, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    child.kill('SIGTERM');
    output.destroy();
    await rm(partial, { force: true });
    if (signal?.aborted) throw new BackupError(`Backup '${name}' was stopped: the server is shutting down. No partial file was left.`);
    if (error instanceof BackupError) throw error;
    throw new BackupError(`Backup '${name}' failed: ${explainFsError(error as NodeJS.ErrnoException, dir)}.`);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
