/**
 * The failure path of a deploy: show the failing services' logs, record the release failed, and
 * put back what ran before (the previous good release) when rollback is on and there is one.
 */
import { describeError } from '../../errors.js';
import { servicesSummary } from '../../health/containers.js';
import { lastGood, newRelease, type Release, transition } from '../../release/release.js';
import type { Settings } from '../../settings/settings.js';
import type { AppSession } from '../app-session.js';
import type { EngineDeps } from '../engine-deps.js';
import { HealthError } from '../health-check.js';
import { type Outcome, outcomeOf } from '../outcome.js';
import { restoreRelease } from '../restore-release.js';
import type { StepError, Steps } from '../steps.js';
import type { Attempt } from './attempt.js';

/** Recovers from a failed step; `attempt` is undefined when the run failed before recording its release. */
export async function recover(
  session: AppSession,
  settings: Settings,
  deps: EngineDeps,
  steps: Steps,
  failed: StepError,
  attempt: Attempt | undefined,
): Promise<Outcome> {
  const failure = { failedStep: failed.step, error: failed.message, previousRef: attempt?.running, steps: steps.records };
  deps.reporter.logger.error(`${failed.step} failed: ${failed.message}`);
  await showFailingLogs(session, settings, deps, failed);
  if (!attempt) return outcomeOf({ status: 'failed', ...failure });

  const release = transition(attempt.release, 'failed', { failedStep: failed.step, error: failed.message, steps: steps.records });
  const history = await attempt.store.save(release);
  if (failed.step === 'fetch') {
    // Nothing was started: put the checkout back where the running version came from.
    if (attempt.running) await session.app.checkout(attempt.running).catch(() => undefined);
    return outcomeOf({ status: 'failed', release, ...failure });
  }
  const target = rollbackTarget(history, release, attempt.running);
  if (!settings.rollbackOnFailure || !target) return outcomeOf({ status: 'failed', release, ...failure });
  return rollBack(session, settings, steps, { ...attempt, release }, target, failure);
}

/** The last `log-lines` lines of the services that failed (all when unknown), after a build, up or health failure. */
async function showFailingLogs(session: AppSession, settings: Settings, deps: EngineDeps, failed: StepError): Promise<void> {
  if (!['build', 'up', 'health'].includes(failed.step)) return;
  const services = failed.cause instanceof HealthError ? failed.cause.services : [];
  await deps.reporter.group(`Logs of ${services.length ? services.join(', ') : 'all services'} (last ${settings.logLines} lines)`, () =>
    // Logs only help explain the failure; not getting them must not hide it.
    session.app.logs(services, settings.logLines).catch(() => undefined),
  );
}

/** The previous good release other than the failed commit; before any recorded release, the commit that ran. */
export function rollbackTarget(history: readonly Release[], failed: Release, running: string | undefined): Release | undefined {
  const good = lastGood(history, failed.commit);
  if (good) return good;
  if (!running || running === failed.commit) return undefined;
  return { ...newRelease(running, undefined), commit: running, state: 'succeeded' };
}

type FailureFields = Pick<Outcome, 'failedStep' | 'error' | 'previousRef' | 'steps'>;

/** Restores the target; the release ends rolled_back, or failed naming both errors when the rollback fails too. */
async function rollBack(
  session: AppSession,
  settings: Settings,
  steps: Steps,
  attempt: Attempt,
  target: Release,
  failure: FailureFields,
): Promise<Outcome> {
  const { store } = attempt;
  try {
    const containers = await steps.run('rollback', `Roll back to ${target.commit?.slice(0, 12)}`, () =>
      restoreRelease(session, settings, target),
    );
    const release = transition(attempt.release, 'rolled_back', { steps: steps.records });
    await store.save(release);
    return outcomeOf({
      status: 'rolled_back',
      release,
      ...failure,
      steps: steps.records,
      deployedRef: target.commit,
      services: servicesSummary(containers),
    });
  } catch (rollbackError) {
    const error = `${failure.error}\nThe rollback to ${target.commit?.slice(0, 12)} failed too: ${describeError(rollbackError)}`;
    const release = { ...attempt.release, error, steps: steps.records };
    await store.save(release);
    return outcomeOf({ status: 'failed', release, ...failure, error, steps: steps.records });
  }
}
