/** What every manual command shares: connect, run on the app, close; and the lock for those that change what runs. */
import type { StepName } from '../../release/release.js';
import { openContext, stopMessage, stopReason } from '../../run-context.js';
import type { Settings } from '../../settings/settings.js';
import { type AppSession, connectStep, type LockedApp, lockApp, openSession } from '../app-session.js';
import { checkInputs } from '../check-inputs.js';
import type { EngineDeps } from '../engine-deps.js';
import { type Outcome, type OutcomeFields, outcomeOf } from '../outcome.js';
import { stepErrorOf, Steps } from '../steps.js';

/** A manual command's name, which is also the name of its own step. */
export type ManualCommand = Extract<StepName, 'rollback' | 'restart' | 'logs' | 'status'>;

/** What a manual command's body gets: the app, its run's steps, and an Outcome builder that adds them. */
export interface ManualRun {
  readonly session: AppSession;
  readonly steps: Steps;
  readonly outcome: (fields: OutcomeFields) => Outcome;
}

/**
 * Connects, checks the inputs only the server can check (before anything changes), runs `fn` on the
 * app and closes. A failure becomes a failed Outcome naming its step: the step it failed in, else the
 * command's own; a stopped run is `cancelled`, or failed "timed out".
 */
export async function withSession(
  command: ManualCommand,
  settings: Settings,
  deps: EngineDeps,
  fn: (run: ManualRun) => Promise<Outcome>,
): Promise<Outcome> {
  const context = deps.context ?? openContext();
  const steps = new Steps(deps.reporter, deps.clock ?? Date.now, context);
  const outcome = (fields: OutcomeFields): Outcome => outcomeOf({ steps: steps.records, warnings: steps.warnings, ...fields });
  let session: AppSession | undefined;
  try {
    session = openSession(await connectStep(settings, deps, steps), settings, deps, context);
    await checkInputs(session.app, settings.app, steps, session.runtime);
    return await fn({ session, steps, outcome });
  } catch (error) {
    const failed = stepErrorOf(error, command);
    const stopped = stopReason(context);
    if (!stopped) return outcome({ status: 'failed', failedStep: failed.step, error: failed.message });
    const said = `${stopMessage(context)} It was in the ${failed.step} step.`;
    return outcome({ status: stopped === 'cancelled' ? 'cancelled' : 'failed', failedStep: failed.step, error: said });
  } finally {
    await session?.executor.close();
  }
}

/** Runs `fn` holding the app's deploy lock (the `lock` step), so no other run changes what runs meanwhile. */
export async function withLock<T>(
  { session, steps }: ManualRun,
  settings: Settings,
  deps: EngineDeps,
  purpose: ManualCommand,
  fn: (locked: LockedApp) => Promise<T>,
): Promise<T> {
  const locked = await steps.run('lock', 'Take the deploy lock', () => lockApp(session, settings, deps, purpose));
  try {
    return await fn(locked);
  } finally {
    await locked.unlock();
  }
}
