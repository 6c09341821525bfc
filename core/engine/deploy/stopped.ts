/**
 * A deploy stopped by a cancel (SIGINT, Ctrl-C) or by its deadline (`timeout`). The remote work was
 * signalled the moment the run's signal aborted: sshd delivers TERM (KILL 5 s later) to the process
 * group of each running command, and a step's command ends only once its process has. What follows
 * runs under its own grace (STOP_GRACE_MS, cut short by the runner's SIGTERM; each write of the
 * release's record gets its own few seconds whatever happens, so a run told to exit says how it ended):
 * - timed out: the usual failure path, the release `failed` with its step and "timed out", the failing
 *   services' logs and the rollback;
 * - cancelled: the release `cancelled` with its step; the old version left serving when `up` had not
 *   begun to replace it, else rolled back to.
 */
import { CancelledError, describeError, RunTimedOutError } from '../../errors.js';
import { type Release, type StepName, transition } from '../../release/release.js';
import { graceContext, recordSignal, stopMessage, stopReason } from '../../run-context.js';
import type { Settings } from '../../settings/settings.js';
import { type AppSession, sessionUnder } from '../app-session.js';
import type { EngineDeps } from '../engine-deps.js';
import { type Outcome, outcomeOf } from '../outcome.js';
import { StepError, type Steps } from '../steps.js';
import type { Attempt } from './attempt.js';
import { keepOldServing, recover, rollbackTarget } from './recover.js';

/** How long a stopped run may take to record what happened and roll back. */
export const STOP_GRACE_MS = 60_000;

/** What the clean-up of a stopped run works with, all under the grace's signal. */
interface Stopped {
  readonly session: AppSession;
  readonly steps: Steps;
  readonly attempt: Attempt | undefined;
  /** The step it was in: `up` that had not replaced a container yet is `build`. */
  readonly step: StepName;
  /** Whether the new version may have replaced the old one. */
  readonly replaced: boolean;
  readonly target: Release | undefined;
}

/** Records and repairs a run whose signal was aborted while `failed.step` ran. */
export async function recoverStopped(
  session: AppSession,
  settings: Settings,
  deps: EngineDeps,
  steps: Steps,
  failed: StepError,
  attempt: Attempt | undefined,
): Promise<Outcome> {
  const grace = graceContext(session.context, STOP_GRACE_MS);
  const cleanup = sessionUnder(session, settings, deps, grace);
  // Each read or write of the record gets its own short grace, apart from the clean-up's.
  const locked = attempt && { ...attempt, store: attempt.store.withSignal(recordSignal) };
  const target = locked ? rollbackTarget(locked, locked.release) : undefined;
  // Blue-green: the old colour serves (again) once the new one is removed, so nothing was replaced.
  const kept =
    locked && stopReason(session.context) === 'cancelled' ? await keepOldServing(cleanup, steps.under(grace), locked) : undefined;
  const replaced = kept ? false : await newVersionStarted(cleanup, failed.step, target);
  const step: StepName = failed.step === 'up' && !replaced ? 'build' : failed.step;
  if (step !== failed.step) steps.relabel(failed.step, step);
  const stopped: Stopped = { session: cleanup, steps: steps.under(grace), attempt: locked, step, replaced, target };

  // The step's remote command that did not report its end after TERM and KILL is named: it may still run.
  const unended = failed.cause instanceof CancelledError && failed.cause.remoteEnded === false ? ` ${failed.cause.message}` : '';
  const reason = `${stopMessage(session.context)}${unended}`;
  if (stopReason(session.context) === 'timed_out') {
    const error = new RunTimedOutError(
      `${reason} It was stopped in the ${step} step; the rollback gets its own grace of ${STOP_GRACE_MS / 1000}s.`,
    );
    return recover(cleanup, settings, deps, stopped.steps, new StepError(step, error), locked);
  }
  deps.reporter.logger.error(`${reason} It was in the ${step} step.`);
  return cancel(stopped, settings, deps, `${reason} It was in the ${step} step`);
}

/** The cancel path: the release `cancelled`; the old version left alone, or rolled back to when the new one had started. */
async function cancel(stopped: Stopped, settings: Settings, deps: EngineDeps, said: string): Promise<Outcome> {
  const { session, steps, attempt, step, replaced, target } = stopped;
  const ended = (fields: Partial<Outcome> & { error: string }): Outcome =>
    outcomeOf({
      status: 'cancelled',
      failedStep: step,
      previousRef: attempt?.before.commit,
      steps: steps.records,
      warnings: steps.warnings,
      ...fields,
    });
  if (!attempt) return ended({ error: `${said}; nothing had changed on the server.` });
  const record = recorder(attempt, stopped);
  if (!replaced) {
    if (attempt.before.commit) await session.app.checkout(attempt.before.commit).catch(() => undefined);
    const error = `${said}; its remote work was stopped, and the old version (${short(attempt.before.commit)}) was not touched and still serves.`;
    return ended({ release: await record(error), error, deployedRef: attempt.before.commit });
  }
  if (!target || !settings.rollbackOnFailure) {
    const error = `${said}, after the new version had started; ${target ? 'rollback-on-failure is off' : 'there is no earlier release to roll back to'}.`;
    return ended({ release: await record(error), error });
  }
  await record(`${said}, after the new version had started; rolling back to ${short(target.commit)}.`);
  try {
    const { proven } = await steps.run('rollback', `Roll back to ${short(target.commit)}`, () => session.runtime.restore(target));
    const error = `${said}, after the new version had started; rolled back to ${short(target.commit)}.`;
    return ended({ release: await record(error), error, deployedRef: target.commit, services: proven.services });
  } catch (rollbackError) {
    const error = `${said}, after the new version had started; rolling back to ${short(target.commit)} did not finish: ${describeError(rollbackError)}`;
    return ended({ release: await record(error), error });
  }
}

/**
 * Whether the new version may have replaced the old one: once `health` began, yes; in `up`, unless
 * what runs is still exactly the release to roll back to.
 */
async function newVersionStarted(session: AppSession, step: StepName, target: Release | undefined): Promise<boolean> {
  if (step === 'health') return true;
  if (step !== 'up') return false;
  return !(target && (await session.runtime.runs(target)));
}

/** Saves the release `cancelled` (the first time) with the latest error and steps; a failed write is a warning. */
function recorder(attempt: Attempt, { step, steps }: Stopped): (error: string) => Promise<Release> {
  let release = attempt.release;
  return async (error) => {
    const fields = { failedStep: step, error, steps: [...steps.records] };
    release = release.state === 'cancelled' ? { ...release, ...fields } : transition(release, 'cancelled', fields);
    const saved = release;
    await steps.bestEffort(`record release ${saved.id} as cancelled`, () => attempt.store.save(saved));
    return saved;
  };
}

const short = (commit: string | undefined): string => (commit ? commit.slice(0, 12) : 'none');
