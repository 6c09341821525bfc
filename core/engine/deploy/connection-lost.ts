/**
 * A deploy whose SSH connection dropped (its sshd killed, the network gone): nothing more can be done
 * over it, so no logs, no record and no rollback are tried. The lock ended with the connection, so the
 * next deploy starts at once: it marks this run's release failed (`interrupted`) and deploys over what
 * was left half-done.
 */
import { ConnectionLostError } from '../../errors.js';
import type { EngineDeps } from '../engine-deps.js';
import { type Outcome, outcomeOf } from '../outcome.js';
import type { StepError, Steps } from '../steps.js';
import type { Attempt } from './attempt.js';

/** Whether the step failed because the connection dropped. */
export function lostConnection(failed: StepError): boolean {
  return failed.cause instanceof ConnectionLostError;
}

/** The outcome of a deploy whose connection dropped in `failed.step`. */
export function connectionLost(failed: StepError, attempt: Attempt | undefined, steps: Steps, deps: EngineDeps): Outcome {
  const error =
    `${failed.message}\nNothing more can be done over this connection, so what this run started may be left half-done: ` +
    'the next deploy takes the lock at once (it ended with the connection), marks this release failed (interrupted) and deploys over it.';
  deps.reporter.logger.error(`${failed.step} failed: ${error}`);
  return outcomeOf({
    status: 'failed',
    failedStep: failed.step,
    error,
    release: attempt?.release,
    previousRef: attempt?.before.commit,
    steps: steps.records,
    warnings: steps.warnings,
  });
}
