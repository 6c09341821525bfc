/** What every manual command shares: connect, run on the app, close; and the lock for those that change what runs. */
import type { Executor } from '../../exec/executor.js';
import type { StepName } from '../../release/release.js';
import { openContext, throwIfCancelled } from '../../run-context.js';
import type { Settings } from '../../settings/settings.js';
import { type AppSession, type LockedApp, lockApp, openSession } from '../app-session.js';
import { checkServices } from '../check-inputs.js';
import type { EngineDeps } from '../engine-deps.js';
import { type Outcome, outcomeOf } from '../outcome.js';
import { StepError, stepErrorOf } from '../steps.js';

/**
 * Connects, checks the inputs only the server can check, runs `fn` on the app and closes. A failure becomes a
 * failed Outcome naming its step: its own, else `step` (the command's).
 */
export async function withSession(
  settings: Settings,
  deps: EngineDeps,
  step: StepName,
  fn: (session: AppSession) => Promise<Outcome>,
): Promise<Outcome> {
  const context = deps.context ?? openContext();
  let executor: Executor;
  try {
    throwIfCancelled(context, 'connecting');
    executor = await deps.connect();
  } catch (error) {
    return outcomeOf({ status: 'failed', failedStep: 'connect', error: new StepError('connect', error).message });
  }
  try {
    const session = openSession(executor, settings, deps, context);
    await checkServices(session.app, settings.app);
    return await fn(session);
  } catch (error) {
    const failed = stepErrorOf(error, step);
    return outcomeOf({ status: 'failed', failedStep: failed.step, error: failed.message });
  } finally {
    await executor.close();
  }
}

/** Runs `fn` holding the app's deploy lock, so no other run changes what runs meanwhile. */
export async function withLock<T>(
  session: AppSession,
  settings: Settings,
  deps: EngineDeps,
  purpose: string,
  fn: (locked: LockedApp) => Promise<T>,
): Promise<T> {
  const locked = await lockApp(session, settings, deps, purpose).catch((error: unknown) => {
    throw stepErrorOf(error, 'lock');
  });
  try {
    return await fn(locked);
  } finally {
    await locked.unlock();
  }
}
