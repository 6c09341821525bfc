/**
 * What one run works under: a cancel signal and a deadline. Every remote command of the run is
 * given the signal (`executor.run(…, { signal })`), so aborting it stops the remote work; sleeps
 * and polls end with it too. The adapters abort it on SIGINT/SIGTERM or when the deadline passes.
 */
import { BerthError, CancelledError, RunTimedOutError } from './errors.js';
import type { Sleep } from './retry.js';

export interface RunContext {
  /** Aborted when the run is cancelled or its deadline passes. */
  readonly signal: AbortSignal;
  /** When the run must end, in ms of the run's clock; undefined when it has no deadline. */
  readonly deadline: number | undefined;
  /**
   * Aborted when even the clean-up after a stop must end at once (the runner's SIGTERM, a few seconds
   * after its SIGINT): a stopped run then records what it can and exits without rolling back.
   */
  readonly cleanupSignal?: AbortSignal;
}

/** Why a run was stopped: cancelled (a signal, Ctrl-C) or past its deadline. */
export type StopReason = 'cancelled' | 'timed_out';

/** Why the run's signal was aborted, or undefined while it runs. */
export function stopReason(context: RunContext): StopReason | undefined {
  if (!context.signal.aborted) return undefined;
  return context.signal.reason instanceof RunTimedOutError ? 'timed_out' : 'cancelled';
}

/** How long one write of a release record may take once the run was stopped. */
export const RECORD_GRACE_MS = 5_000;

/**
 * A signal for one read or write of the release record, apart from the run's: once a release went
 * live, or the run was stopped, how it ended must still be written, within RECORD_GRACE_MS.
 */
export function recordSignal(): AbortSignal {
  return AbortSignal.timeout(RECORD_GRACE_MS);
}

/** What stopped the run, in a sentence: the reason it was aborted with, when it is one of berth's. */
export function stopMessage(context: RunContext): string {
  const reason: unknown = context.signal.reason;
  return reason instanceof BerthError ? reason.message : 'The run was cancelled.';
}

/**
 * A context for the clean-up after the run was stopped (recording it, rolling back): its own grace of
 * `ms`, ended early by the context's `cleanupSignal`.
 */
export function graceContext(context: RunContext, ms: number, clock: () => number = Date.now): RunContext {
  const timer = new AbortController();
  setTimeout(
    () => timer.abort(new BerthError(`The clean-up's grace of ${Math.round(ms / 1000)}s after the run was stopped ran out.`)),
    ms,
  ).unref();
  const signals = context.cleanupSignal ? [timer.signal, context.cleanupSignal] : [timer.signal];
  return { signal: AbortSignal.any(signals), deadline: clock() + ms };
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
