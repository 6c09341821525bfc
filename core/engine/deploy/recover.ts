/**
 * The failure path of a deploy: show the failing services' logs, record the release failed, and put
 * back what ran before this run when rollback is on. Its own writes are best effort: a record that
 * cannot be written is a warning, never a reason to leave the app broken or to lose the outcome.
 */
import { describeError } from '../../errors.js';
import { lastGood, type Release, transition } from '../../release/release.js';
import type { Settings } from '../../settings/settings.js';
import type { AppSession } from '../app-session.js';
import type { EngineDeps } from '../engine-deps.js';
import { HealthError } from '../health-check.js';
import { type Outcome, outcomeOf } from '../outcome.js';
import { restoreRelease, unrecordedRelease } from '../restore-release.js';
import type { StepError, Steps } from '../steps.js';
import type { Attempt } from './attempt.js';

/** Steps after which the new version may have started, so its logs explain the failure. */
const STARTED_STEPS = ['build', 'up', 'ready', 'switch', 'health'];

/** Recovers from a failed step; `attempt` is undefined when the run failed before recording its release. */
export async function recover(
  session: AppSession,
  settings: Settings,
  deps: EngineDeps,
  steps: Steps,
  failed: StepError,
  attempt: Attempt | undefined,
): Promise<Outcome> {
  const failure = { failedStep: failed.step, error: failed.message, previousRef: attempt?.before.commit };
  deps.reporter.logger.error(`${failed.step} failed: ${failed.message}`);
  if (STARTED_STEPS.includes(failed.step)) await showFailingLogs(session, settings, deps, failed);
  const ended = (fields: Partial<Outcome> & Pick<Outcome, 'status'>): Outcome =>
    outcomeOf({ ...failure, steps: steps.records, warnings: steps.warnings, ...fields });
  if (!attempt) return ended({ status: 'failed' });

  const release = transition(attempt.release, 'failed', { failedStep: failed.step, error: failed.message, steps: steps.records });
  await steps.bestEffort('record the release as failed', () => attempt.store.save(release));
  if (failed.step === 'fetch') {
    // Nothing was started: put the checkout back where the running version came from.
    const running = attempt.before.commit;
    if (running) await steps.bestEffort(`check out ${running.slice(0, 12)} again`, () => session.app.checkout(running));
    return ended({ status: 'failed', release });
  }
  const kept = await keepOldServing(session, steps, attempt);
  if (kept === 'untouched') return ended({ status: 'failed', release, deployedRef: attempt.before.commit });
  if (kept === 'switched-back') {
    const back = transition(release, 'rolled_back', { steps: steps.records });
    await steps.bestEffort('record the release as rolled back', () => attempt.store.save(back));
    const to = attempt.before.commit;
    return ended({
      status: 'rolled_back',
      release: back,
      deployedRef: to,
      rollback: to ? { from: release.commit, to, images: 'kept' } : undefined,
    });
  }
  const target = rollbackTarget(attempt, release);
  if (!settings.rollbackOnFailure || !target) return ended({ status: 'failed', release });
  return rollBack(session, settings, steps, { ...attempt, release }, target, ended);
}

/**
 * Blue-green: the old colour still runs, so the new one is removed (the proxy switched back first when it
 * had switched) and the checkout returns to what serves. Undefined when the usual rollback is needed.
 */
export async function keepOldServing(
  session: AppSession,
  steps: Steps,
  attempt: Attempt,
): Promise<'untouched' | 'switched-back' | undefined> {
  const { runtime } = session;
  if (!runtime.abandon) return undefined;
  const kept = await steps.bestEffort('leave the old version serving', () => runtime.abandon?.() ?? Promise.resolve(undefined));
  const running = attempt.before.commit;
  if (kept && running) await steps.bestEffort(`check out ${running.slice(0, 12)} again`, () => session.app.checkout(running));
  if (kept === 'untouched') {
    session.health.reporter.logger.info(
      attempt.before.release
        ? 'The old version kept serving throughout: nothing to roll back.'
        : 'What this run started was removed; whatever ran before it (berth recorded no release yet) was not touched.',
    );
  }
  return kept;
}

/** The last `log-lines` lines of the services that failed (all when unknown). */
async function showFailingLogs(session: AppSession, settings: Settings, deps: EngineDeps, failed: StepError): Promise<void> {
  const services = failed.cause instanceof HealthError ? failed.cause.services : [];
  await deps.reporter.group(`Logs of ${services.length ? services.join(', ') : 'all services'} (last ${settings.logLines} lines)`, () =>
    // Logs only help explain the failure; not getting them must not hide it.
    session.runtime.logs(services, settings.logLines).catch(() => undefined),
  );
}

/**
 * What ran before this run — even when it is the commit that just failed to redeploy, since its
 * kept images are what served. When what ran was a deploy left running unhealthy, the last good
 * release instead: going back to that version could not pass a health check. Before berth recorded
 * any release, the commit that was running, unless that is the one that failed.
 */
export function rollbackTarget(attempt: Attempt, failed: Release): Release | undefined {
  const { release, commit } = attempt.before;
  if (release) return release.state === 'succeeded' ? release : lastGood(attempt.history);
  if (!commit || commit === failed.commit) return undefined;
  return unrecordedRelease(commit);
}

/**
 * Restores the target; the release ends rolled_back, or keeps its state with both errors named when
 * the rollback fails too. Also takes back a host that switched when another host of the run failed.
 */
export async function rollBack(
  session: AppSession,
  settings: Settings,
  steps: Steps,
  attempt: Attempt,
  target: Release,
  ended: (fields: Partial<Outcome> & Pick<Outcome, 'status'>) => Outcome,
): Promise<Outcome> {
  const { store } = attempt;
  try {
    const restored = await steps.run('rollback', `Roll back to ${target.commit?.slice(0, 12)}`, () =>
      restoreRelease(session, settings, target),
    );
    const release = transition(attempt.release, 'rolled_back', { steps: steps.records });
    await steps.bestEffort('record the release as rolled back', () => store.save(release));
    return ended({
      status: 'rolled_back',
      release,
      deployedRef: target.commit,
      services: restored.proven.services,
      rollback: target.commit ? { from: attempt.release.commit, to: target.commit, images: restored.images } : undefined,
    });
  } catch (rollbackError) {
    const error = `${attempt.release.error ?? ''}\nThe rollback to ${target.commit?.slice(0, 12)} failed too: ${describeError(rollbackError)}`;
    const release = { ...attempt.release, error, steps: steps.records };
    await steps.bestEffort('record the failed rollback', () => store.save(release));
    return ended({ status: 'failed', release, error });
  }
}
