/** One run at a time per app: an atomic mkdir lock in the state directory, with who and when inside. */
import { fileCommands } from '../commands/files.js';
import { BerthError } from '../errors.js';
import type { Executor } from '../exec/executor.js';
import { realSleep, type Sleep } from '../retry.js';

export class LockTimeoutError extends BerthError {
  override readonly name = 'LockTimeoutError';
}

export interface LockOptions {
  readonly timeoutMs: number;
  readonly owner: string;
  readonly sleep?: Sleep;
  readonly clock?: () => number;
  readonly onWait?: (holder: string) => void;
}

/** Acquires the lock or throws LockTimeoutError naming the holder. Returns the release function. */
export async function acquireLock(executor: Executor, dir: string, options: LockOptions): Promise<() => Promise<void>> {
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const deadline = clock() + options.timeoutMs;
  let announced = false;
  for (;;) {
    const attempt = await executor.run(fileCommands.lock(dir), { stdin: `${options.owner}\n` });
    if (attempt.code === 0) {
      return async () => {
        await executor.run(fileCommands.unlock(dir));
      };
    }
    const holder = (await executor.run(fileCommands.read(`${dir}/owner`))).stdout.trim() || 'unknown';
    if (!announced) options.onWait?.(holder);
    announced = true;
    if (clock() >= deadline) {
      throw new LockTimeoutError(
        `Another berth run holds the lock on ${executor.where} (${holder}) and did not finish within ${Math.round(options.timeoutMs / 1000)}s.`,
        `If no run is in progress, remove the lock: rm -rf ${dir}`,
      );
    }
    await sleep(Math.min(2000, Math.max(0, deadline - clock())));
  }
}
