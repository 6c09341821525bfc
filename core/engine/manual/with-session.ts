/** What every manual command shares: connect, run on the app, close; and the lock for those that change what runs. */
import type { Executor } from '../../exec/executor.js';
import { openContext, throwIfCancelled } from '../../run-context.js';
import type { Settings } from '../../settings/settings.js';
import { type AppSession, type LockedApp, lockApp, openSession } from '../app-session.js';
import type { EngineDeps } from '../engine-deps.js';
import { type Outcome, outcomeOf } from '../outcome.js';
import { StepError, stepErrorOf } from '../steps.js';

/** Connects, runs `fn` on the app and closes; a failure becomes a failed Outcome naming its step. */
export async function withSession(settings: Settings, deps: EngineDeps, fn: (session: AppSession) => Promise<Outcome>): Promise<Outcome> {
  const context = deps.context ?? openContext();
  let executor: Executor;
  try {
    throwIfCancelled(context, 'connecting');
    executor = await deps.connect();
  } catch (error) {
    return outcomeOf({ status: 'failed', failedStep: 'connect', error: new StepError('connect', error).message });
  }
  try {
    return await fn(openSession(executor, settings, deps, context));
  } catch (error) {
    const failed = stepErrorOf(error, 'up');
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
  const locked = await lockApp(session, settings, deps, purpose);
  try {
    return await fn(locked);
  } finally {
    await locked.unlock();
  }
}
