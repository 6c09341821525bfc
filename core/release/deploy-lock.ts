/**
 * One run at a time per app, in the order the runs asked: a ticket queue and an flock on the
 * server (core/commands/lock.ts), held by a command that lives exactly as long as this run's SSH
 * channel. A cancelled job or a dropped connection releases its lock, or its place in the queue;
 * only a run that is really in progress can make another wait. Who holds it is written beside it.
 */
import { dirname } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileCommands, LOCK_OWNER_UNWRITABLE } from '../commands/files.js';
import { LOCK_QUEUE_UNWRITABLE, lockCommands } from '../commands/lock.js';
import { BerthError } from '../errors.js';
import type { Executor, RunResult } from '../exec/executor.js';
import { cancelledError } from '../run-context.js';

export class LockTimeoutError extends BerthError {
  override readonly name = 'LockTimeoutError';
}

export interface LockOptions {
  /** How long to wait once another run holds the lock or is ahead in the queue. */
  readonly timeoutMs: number;
  readonly owner: string;
  readonly onWait?: (holder: string) => void;
  /**
   * Ends the wait when the run is cancelled. The held lock itself does not take it: it stays held
   * until released, so a cancelled run can still record what happened before the next one starts.
   */
  readonly signal?: AbortSignal;
}

/** The queue's tickets live beside the lock: `.git/berth/queue/`. */
export function queueDirOf(file: string): string {
  return `${dirname(file)}/queue`;
}

type Wait =
  { readonly kind: 'locked' } | { readonly kind: 'ended'; readonly result: RunResult } | { readonly kind: 'timeout' | 'cancelled' };

/**
 * Queues for the lock and resolves with the release function once this run holds it; throws
 * LockTimeoutError naming the holder when it waited `timeoutMs` in vain.
 */
export async function acquireLock(executor: Executor, file: string, options: LockOptions): Promise<() => Promise<void>> {
  const { signal } = options;
  if (signal?.aborted) throw cancelledError(signal, 'before waiting for the deploy lock');
  const hold = new PassThrough();
  let output = '';
  let holder: Promise<string> = Promise.resolve('unknown');
  let onOutput: () => void = () => {};
  const command = executor.run(lockCommands.queue(file, options.owner, queueDirOf(file)), {
    stdin: hold,
    onStdout: (chunk) => {
      output += chunk.toString();
      onOutput();
    },
  });
  const release = async (): Promise<void> => {
    hold.end();
    await command.catch(() => undefined);
  };
  const cleanUp: Array<() => void> = [];
  const wait = await new Promise<Wait>((resolve, reject) => {
    let waiting = false;
    onOutput = () => {
      if (output.includes('locked\n')) return resolve({ kind: 'locked' });
      if (waiting || !output.includes('waiting\n')) return;
      waiting = true;
      // The wait counts from here: `lock-timeout` is how long another run may keep this one waiting.
      const timer = setTimeout(() => resolve({ kind: 'timeout' }), options.timeoutMs);
      cleanUp.push(() => clearTimeout(timer));
      holder = readHolder(executor, file, signal);
      void holder.then((name) => options.onWait?.(name));
    };
    onOutput();
    command.then((result) => resolve({ kind: 'ended', result }), reject);
    const onAbort = (): void => resolve({ kind: 'cancelled' });
    signal?.addEventListener('abort', onAbort, { once: true });
    cleanUp.push(() => signal?.removeEventListener('abort', onAbort));
  }).finally(() => cleanUp.forEach((fn) => fn()));
  if (wait.kind === 'locked') return release;
  await release();
  if (wait.kind === 'cancelled') throw cancelledError(signal as AbortSignal, 'while waiting for the deploy lock');
  if (wait.kind === 'ended') throw lockFailure(executor, file, wait.result);
  throw new LockTimeoutError(
    `Another berth run holds the lock on ${executor.where} (${await holder}) and did not finish within ${Math.round(options.timeoutMs / 1000)}s.`,
    'Wait for that run, or cancel it: the lock is released as soon as its connection ends.',
  );
}

/**
 * Takes the lock only if no run holds it now, without queueing: resolves with the release function,
 * or undefined when a run holds it (so that run is alive). For `status`, which must not wait.
 */
export async function tryLockNow(
  executor: Executor,
  file: string,
  owner: string,
  signal?: AbortSignal,
): Promise<(() => Promise<void>) | undefined> {
  const hold = new PassThrough();
  let locked: (held: boolean) => void = () => {};
  const held = new Promise<boolean>((resolve) => (locked = resolve));
  const command = executor.run(fileCommands.holdLock(file, owner), {
    stdin: hold,
    onStdout: (chunk) => chunk.toString().includes('locked') && locked(true),
    ...(signal ? { signal } : {}),
  });
  command.then(
    () => locked(false),
    () => locked(false),
  );
  if (await held) {
    return async () => {
      hold.end();
      await command.catch(() => undefined);
    };
  }
  const result = await command;
  if (result.code === 1) return undefined;
  throw lockFailure(executor, file, result);
}

/** Who holds the lock, as its owner file says; `unknown` when it cannot be read. */
async function readHolder(executor: Executor, file: string, signal: AbortSignal | undefined): Promise<string> {
  const result = await executor.run(fileCommands.read(`${file}.owner`), { signal }).catch(() => undefined);
  return result?.stdout.trim() || 'unknown';
}

/** Why the lock command ended without holding the lock. */
function lockFailure(executor: Executor, file: string, result: RunResult): BerthError {
  const why = result.stderr.trim() || `exit ${result.code ?? result.signal}`;
  if (result.code === 127) {
    return new BerthError(`flock is not installed on ${executor.where}.`, 'Install util-linux (Debian, Ubuntu) or busybox on the server.');
  }
  if (result.code === LOCK_OWNER_UNWRITABLE) {
    return new BerthError(
      `Could not write the deploy lock's owner file ${file}.owner on ${executor.where}: ${why}.`,
      `Check that the deploy user owns ${dirname(file)} and that the disk is not full.`,
    );
  }
  if (result.code === LOCK_QUEUE_UNWRITABLE) {
    return new BerthError(
      `Could not take a place in the deploy lock's queue ${queueDirOf(file)} on ${executor.where}: ${why}.`,
      `Check that the deploy user owns ${dirname(file)} and that the disk is not full.`,
    );
  }
  return new BerthError(`Could not take the deploy lock ${file} on ${executor.where}: ${why}.`);
}
