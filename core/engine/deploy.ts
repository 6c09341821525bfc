/**
 * The push path: lint → connect → lock → fetch → build → up → health, and on failure the failing
 * services' logs and a rollback to the previous good release. A run that is stopped (cancelled, past
 * its `timeout`) or loses its connection ends its own way; a push deploy that a newer one overtook
 * skips itself. Each step lives in `deploy/`.
 */
import type { Executor } from '../exec/executor.js';
import { openContext, type RunContext, stopMessage, stopReason } from '../run-context.js';
import type { Settings } from '../settings/settings.js';
import { type AppSession, connectStep, openSession } from './app-session.js';
import { checkInputs } from './check-inputs.js';
import { afterFailure } from './deploy/after-failure.js';
import { type Attempt, tryStep } from './deploy/attempt.js';
import { prepare } from './deploy/prepare.js';
import { recordSuccess } from './deploy/record-success.js';
import { checkOutTarget, prove, ship } from './deploy/ship.js';
import { skipSuperseded, supersedingCommit } from './deploy/superseded.js';
import type { EngineDeps } from './engine-deps.js';
import { type Outcome, outcomeOf } from './outcome.js';
import { type StepError, Steps } from './steps.js';

export type { DeployStatus, Outcome } from './outcome.js';
export { KEPT_RELEASES } from './deploy/record-success.js';
export { StepError } from './steps.js';
/** The engine's dependencies, under the name the push path has always used. */
export type DeployDeps = EngineDeps;

/** The whole push path. Never throws for a failed deploy: the outcome says what happened. */
export async function deploy(settings: Settings, deps: EngineDeps): Promise<Outcome> {
  const context = deps.context ?? openContext();
  const steps = new Steps(deps.reporter, deps.clock ?? Date.now, context);
  const connected = await tryStep(() => lintAndConnect(settings, deps, steps, context));
  if (!connected.ok) {
    const { step, message } = connected.failure;
    const stopped = stopReason(context);
    const error = stopped ? `${stopMessage(context)} It was in the ${step} step; nothing had changed on the server.` : message;
    return outcomeOf({ status: stopped === 'cancelled' ? 'cancelled' : 'failed', failedStep: step, error, steps: steps.records });
  }
  try {
    return await deployOn(openSession(connected.value, settings, deps, context), settings, deps, steps);
  } finally {
    await connected.value.close();
  }
}

/** Lints on the runner (when there is a lint command), then connects: nothing reaches the server before both pass. */
async function lintAndConnect(settings: Settings, deps: EngineDeps, steps: Steps, context: RunContext): Promise<Executor> {
  const lintCommand = settings.lintCommand;
  if (lintCommand) await steps.run('lint', 'Lint', () => deps.lint(lintCommand, context.signal));
  return connectStep(settings, deps, steps);
}

/** Prepare, ship and prove the new version under the lock; recover from the step that fails. */
async function deployOn(session: AppSession, settings: Settings, deps: EngineDeps, steps: Steps): Promise<Outcome> {
  const ref = settings.ref ?? 'HEAD';
  const failedIn = (failure: StepError, attempt: Attempt | undefined): Promise<Outcome> =>
    afterFailure(session, settings, deps, steps, failure, attempt);
  const checked = await tryStep(() => checkInputs(session.app, settings.app, steps, session.runtime));
  if (!checked.ok) return failedIn(checked.failure, undefined);
  const prepared = await tryStep(() => prepare(session, settings, deps, steps, ref));
  if (!prepared.ok) return failedIn(prepared.failure, undefined);
  try {
    const superseded = supersedingCommit(session, settings, prepared.value.before.commit);
    const checkedOut = await tryStep(() => checkOutTarget(session, ref, steps, deps.reporter.logger, superseded));
    if (!checkedOut.ok) return await failedIn(checkedOut.failure, prepared.value);
    const { commit, supersededBy } = checkedOut.value;
    if (supersededBy) return await skipSuperseded(prepared.value, commit, supersededBy, steps, deps);
    const attempt = { ...prepared.value, release: { ...prepared.value.release, commit } };
    const proven = await tryStep(async () => {
      await ship(session, attempt.release, steps);
      return prove(session, steps);
    });
    if (!proven.ok) return await failedIn(proven.failure, attempt);
    return await recordSuccess(session, attempt, proven.value, steps);
  } finally {
    await prepared.value.unlock();
  }
}
