/**
 * How an adapter stops a run it started: the run's deadline (the `timeout` input) on a timer, a
 * cancel on the first SIGINT (GitHub's cancel, Ctrl-C), and the end of the clean-up's grace on
 * SIGTERM (GitHub sends it a few seconds after SIGINT, then kills). The engine sees only the
 * RunContext; signals and timers stay here.
 */
import { CancelledError, RunTimedOutError } from './errors.js';
import type { RunContext } from './run-context.js';

export class RunControl {
  private readonly work = new AbortController();
  private readonly cleanup = new AbortController();
  private readonly timer: NodeJS.Timeout | undefined;
  /** What the engine runs under. */
  readonly context: RunContext;

  constructor(options: { readonly timeoutMs?: number; readonly clock?: () => number } = {}) {
    const { timeoutMs } = options;
    const clock = options.clock ?? Date.now;
    if (timeoutMs !== undefined) {
      const seconds = Math.round(timeoutMs / 1000);
      const timedOut = new RunTimedOutError(`The run timed out: it did not finish within ${seconds}s (input 'timeout').`);
      // unref: the timer alone never keeps a finished run's process alive.
      this.timer = setTimeout(() => this.work.abort(timedOut), timeoutMs).unref();
    }
    this.context = {
      signal: this.work.signal,
      deadline: timeoutMs === undefined ? undefined : clock() + timeoutMs,
      cleanupSignal: this.cleanup.signal,
    };
  }

  /** Stops the run, naming how (`SIGINT`, `Ctrl-C`); true when this call stopped it, false when it was stopped before. */
  cancel(how: string): boolean {
    if (this.work.signal.aborted) return false;
    this.work.abort(new CancelledError(`The run was cancelled (${how}).`));
    return true;
  }

  /** Stops the run if it still runs, and ends the clean-up's grace: record what happened, roll nothing back. */
  endCleanup(how: string): void {
    this.cancel(how);
    this.cleanup.abort(new CancelledError(`The clean-up was cut short (${how}).`));
  }

  /** Clears the deadline's timer once the run has ended. */
  dispose(): void {
    clearTimeout(this.timer);
  }
}

export interface SignalOptions {
  /** Says what happens, on the adapter's log. */
  readonly log: (message: string) => void;
  /** A second SIGINT: the CLI exits at once (the remote work was already signalled); the action waits for SIGTERM. */
  readonly secondInterrupt: 'exit' | 'ignore';
  readonly process?: Pick<NodeJS.Process, 'on' | 'off' | 'exit'>;
}

/**
 * SIGINT cancels the run (the remote work is signalled, the release recorded, a started `up` rolled
 * back within the grace); SIGTERM ends the grace. Returns a function that removes the handlers.
 */
export function stopOnSignals(control: RunControl, options: SignalOptions): () => void {
  const proc = options.process ?? process;
  const onInterrupt = (): void => {
    if (control.cancel('SIGINT')) {
      const again = options.secondInterrupt === 'exit' ? ' Interrupt again to exit at once.' : '';
      options.log(`Cancelling: stopping the remote work, recording the release, rolling back if the new version had started.${again}`);
    } else if (options.secondInterrupt === 'exit') {
      options.log('Exiting at once: the remote work was already signalled; the lock ends with the connection.');
      proc.exit(130);
    }
  };
  const onTerminate = (): void => {
    options.log('SIGTERM: recording what happened and exiting without rolling back.');
    control.endCleanup('SIGTERM');
  };
  proc.on('SIGINT', onInterrupt);
  proc.on('SIGTERM', onTerminate);
  return () => {
    proc.off('SIGINT', onInterrupt);
    proc.off('SIGTERM', onTerminate);
  };
}
