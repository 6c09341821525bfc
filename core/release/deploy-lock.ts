/**
 * One run at a time per app: an flock on the server held by a command that lives exactly as
 * long as this run's SSH channel. A cancelled job or a dropped connection releases it; only a
 * run that is really in progress can make another wait. Who holds it is written beside it.
 */
import { dirname } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileCommands, LOCK_OWNER_UNWRITABLE } from '../commands/files.js';
import { BerthError } from '../errors.js';
import { type Executor, runChecked } from '../exec/executor.js';
import { realSleep, type Sleep } from '../retry.js';
import { cancelledError, sleepUnder } from '../run-context.js';

export class LockTimeoutError extends BerthError {
  override readonly name = 'LockTimeoutError';
}

export interface LockOptions {
  readonly timeoutMs: number;
  readonly owner: string;
  readonly sleep?: Sleep;
  readonly clock?: () => number;
  readonly onWait?: (holder: string) => void;
  /**
   * Ends the wait when the run is cancelled. The held lock itself does not take it: it stays held
   * until released, so a cancelled run can still record what happened before the next one starts.
   */
  readonly signal?: AbortSignal;
}

/** Tries once: resolves with the release function, or undefined when another run holds the lock. */
async function tryLock(executor: Executor, file: string, owner: string): Promise<(() => Promise<void>) | undefined> {
  const hold = new PassThrough();
  let output = '';
  let signalLocked: (locked: boolean) => void = () => {};
  const locked = new Promise<boolean>((resolve) => (signalLocked = resolve));
  const holder = executor.run(fileCommands.holdLock(file, owner), {
    stdin: hold,
    onStdout: (chunk) => {
      output += chunk.toString();
      if (output.includes('locked\n')) signalLocked(true);
    },
  });
  holder.then(
    () => signalLocked(false),
    () => signalLocked(false),
  );
  if (await locked) {
    return async () => {
      hold.end();
      await holder.catch(() => undefined);
    };
  }
  const result = await holder;
  if (result.code === LOCK_OWNER_UNWRITABLE) {
    throw new BerthError(
      `Could not write the deploy lock's owner file ${file}.owner on ${executor.where}: ${result.stderr.trim() || 'no reason given'}.`,
      `Check that the deploy user owns ${dirname(file)} and that the disk is not full.`,
    );
  }
  if (result.code === 127) {
    throw new BerthError(`flock is not installed on ${executor.where}.`, 'Install util-linux (Debian, Ubuntu) or busybox on the server.');
  }
  if (result.code !== 1) {
    throw new BerthError(`Could not take the deploy lock ${file} on ${executor.where}: ${result.stderr.trim() || `exit ${result.code}`}.`);
  }
  return undefined;
}

/** Acquires the lock or throws LockTimeoutError naming the holder. Returns the release function. */
export async function acquireLock(executor: Executor, file: string, options: LockOptions): Promise<() => Promise<void>> {
  const clock = options.clock ?? Date.now;
  const signal = options.signal;
  const sleep = signal ? sleepUnder(options.sleep ?? realSleep, signal) : (options.sleep ?? realSleep);
  const deadline = clock() + options.timeoutMs;
  await runChecked(executor, fileCommands.makeDir(dirname(file)), { signal });
  let announced = false;
  for (;;) {
    if (signal?.aborted) throw cancelledError(signal, 'while waiting for the deploy lock');
    const release = await tryLock(executor, file, options.owner);
    if (release) return release;
    const holder = (await executor.run(fileCommands.read(`${file}.owner`), { signal })).stdout.trim() || 'unknown';
    if (!announced) options.onWait?.(holder);
    announced = true;
    if (clock() >= deadline) {
      throw new LockTimeoutError(
        `Another berth run holds the lock on ${executor.where} (${holder}) and did not finish within ${Math.round(options.timeoutMs / 1000)}s.`,
        'Wait for that run, or cancel it: the lock is released as soon as its connection ends.',
      );
    }
    await sleep(Math.min(1000, Math.max(0, deadline - clock())));
  }
}
