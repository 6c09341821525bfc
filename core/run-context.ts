/**
 * What one run works under: a cancel signal and a deadline. Every remote command of the run is
 * given the signal (`executor.run(…, { signal })`), so aborting it stops the remote work; sleeps
 * and polls end with it too. The adapters abort it on SIGINT/SIGTERM or when the deadline passes.
 */
import { CancelledError } from './errors.js';
import type { Sleep } from './retry.js';

export interface RunContext {
  /** Aborted when the run is cancelled or its deadline passes. */
  readonly signal: AbortSignal;
  /** When the run must end, in ms of the run's clock; undefined when it has no deadline. */
  readonly deadline: number | undefined;
}

/** A context nothing aborts: for callers that neither cancel nor time out. */
export function openContext(): RunContext {
  return { signal: new AbortController().signal, deadline: undefined };
}

/** The error a cancelled run ends with: the signal's reason when it is one of ours. */
export function cancelledError(signal: AbortSignal, what: string): Error {
  return signal.reason instanceof Error && signal.reason.name !== 'AbortError'
    ? signal.reason
    : new CancelledError(`The run was cancelled ${what}.`);
}

/** Throws when the run was cancelled, naming what was about to start. */
export function throwIfCancelled(context: RunContext, what: string): void {
  if (context.signal.aborted) throw cancelledError(context.signal, `before ${what}`);
}

/** A sleep that ends early, rejecting, when the run is cancelled. */
export function sleepUnder(sleep: Sleep, signal: AbortSignal): Sleep {
  return (ms) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(cancelledError(signal, 'while waiting'));
      const onAbort = (): void => reject(cancelledError(signal, 'while waiting'));
      signal.addEventListener('abort', onAbort, { once: true });
      sleep(ms).then(
        () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
}
