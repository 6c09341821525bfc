/**
 * The push path: lint → connect → lock → fetch → build → up → health, and on failure the failing
 * services' logs and a rollback to the previous good release. Each step lives in `deploy/`.
 */
import type { Executor } from '../exec/executor.js';
import { openContext, type RunContext } from '../run-context.js';
import type { Settings } from '../settings/settings.js';
import { type AppSession, connectStep, openSession } from './app-session.js';
import { checkInputs } from './check-inputs.js';
import { tryStep } from './deploy/attempt.js';
import { prepare } from './deploy/prepare.js';
import { recordSuccess } from './deploy/record-success.js';
import { recover } from './deploy/recover.js';
import { checkOutTarget, prove, ship } from './deploy/ship.js';
import type { EngineDeps } from './engine-deps.js';
import { type Outcome, outcomeOf } from './outcome.js';
import { Steps } from './steps.js';

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
    return outcomeOf({ status: 'failed', failedStep: connected.failure.step, error: connected.failure.message, steps: steps.records });
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
  const checked = await tryStep(() => checkInputs(session.app, settings.app, steps));
  if (!checked.ok) return recover(session, settings, deps, steps, checked.failure, undefined);
  const prepared = await tryStep(() => prepare(session, settings, deps, steps, ref));
  if (!prepared.ok) return recover(session, settings, deps, steps, prepared.failure, undefined);
  try {
    const checkedOut = await tryStep(() => checkOutTarget(session, ref, steps, deps.reporter.logger));
    if (!checkedOut.ok) return await recover(session, settings, deps, steps, checkedOut.failure, prepared.value);
    const attempt = { ...prepared.value, release: { ...prepared.value.release, commit: checkedOut.value } };
    const proven = await tryStep(async () => {
      await ship(session, attempt.release, steps);
      return prove(session, steps);
    });
    if (!proven.ok) return await recover(session, settings, deps, steps, proven.failure, attempt);
    return await recordSuccess(session, attempt, proven.value, steps);
  } finally {
    await prepared.value.unlock();
  }
}
