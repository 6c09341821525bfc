/** The lint step: the user's command, run on the runner (or the CLI's machine) before any connection. */
import { BerthError } from '../errors.js';
import type { Executor } from '../exec/executor.js';
import { liveOutput, type Reporter } from './reporter.js';

/** Runs `command` with sh in `cwd`, streaming its output; rejects when it exits non-zero or `signal` stops it. */
export async function runLint(local: Executor, command: string, cwd: string, reporter: Reporter, signal?: AbortSignal): Promise<void> {
  const result = await local.run(['sh', '-c', command], {
    cwd,
    signal,
    captureStdout: false,
    ...liveOutput(reporter),
  });
  if (result.code !== 0) {
    const how = result.code === null ? `was killed by ${result.signal}` : `exited with code ${result.code}`;
    throw new BerthError(`The lint command ${how}; nothing was deployed.`, `Fix what it reports, or run it locally: ${command}`);
  }
}
