/** Where a deploy's failed step leads: a stopped run's own path, a dropped connection's, or the usual recovery. */
import { stopReason } from '../../run-context.js';
import type { Settings } from '../../settings/settings.js';
import type { AppSession } from '../app-session.js';
import type { EngineDeps } from '../engine-deps.js';
import type { Outcome } from '../outcome.js';
import type { StepError, Steps } from '../steps.js';
import type { Attempt } from './attempt.js';
import { connectionLost, lostConnection } from './connection-lost.js';
import { recover } from './recover.js';
import { recoverStopped } from './stopped.js';

/** Ends a deploy whose step failed; `attempt` is undefined when it failed before recording its release. */
export async function afterFailure(
  session: AppSession,
  settings: Settings,
  deps: EngineDeps,
  steps: Steps,
  failure: StepError,
  attempt: Attempt | undefined,
): Promise<Outcome> {
  if (stopReason(session.context)) return recoverStopped(session, settings, deps, steps, failure, attempt);
  if (lostConnection(failure)) return connectionLost(failure, attempt, steps, deps);
  return recover(session, settings, deps, steps, failure, attempt);
}
