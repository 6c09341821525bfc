/**
 * One host's part of a deploy on several, in the phases the fleet runs them: lock, stage (fetch, pull,
 * build; nothing started), switch (up, health, record; its own failure path takes this host back as
 * a deploy on one host would), and, when the rollout stops, revert (a host already switched goes back)
 * or abandon (a host never switched is put back as it was and its release recorded).
 */
import { sessionUnder } from '../engine/app-session.js';
import { checkInputs } from '../engine/check-inputs.js';
import { afterFailure } from '../engine/deploy/after-failure.js';
import { type Attempt, type StepResult, tryStep } from '../engine/deploy/attempt.js';
import { prepare } from '../engine/deploy/prepare.js';
import { recordSuccess } from '../engine/deploy/record-success.js';
import { rollBack, rollbackTarget } from '../engine/deploy/recover.js';
import { checkOutTarget, prove } from '../engine/deploy/ship.js';
import { skipSuperseded, supersedingCommit } from '../engine/deploy/superseded.js';
import { type Outcome, type OutcomeFields, outcomeOf } from '../engine/outcome.js';
import { restoreRelease } from '../engine/restore-release.js';
import type { StepError } from '../engine/steps.js';
import { type StepName, transition } from '../release/release.js';
import { recordSignal, type RunContext } from '../run-context.js';
import type { ConnectedHost } from './fleet-host.js';

/** A host that holds its lock and has recorded its release. */
export interface LockedHost extends ConnectedHost {
  readonly attempt: Attempt;
  /** A push deploy whose commit is older than what runs here: the newer commit (nothing was checked out). */
  readonly supersededBy?: string | undefined;
}

/** The ref every host deploys. */
const refOf = (host: ConnectedHost): string => host.settings.ref ?? 'HEAD';

/** Checks the inputs the server can check, takes the host's lock and records its release in progress. */
export async function lockHost(host: ConnectedHost): Promise<StepResult<LockedHost>> {
  const { session, settings, deps, steps } = host;
  return tryStep(async () => {
    await checkInputs(session.app, settings.app, steps, session.runtime);
    return { ...host, attempt: await prepare(session, settings, deps, steps, refOf(host)) };
  });
}

/**
 * Fetches and checks out the commit, then pulls and builds it without starting anything. A push
 * deploy of a commit older than what runs here checks nothing out and says which newer commit runs.
 */
export async function stageHost(host: LockedHost): Promise<StepResult<LockedHost>> {
  const { session, settings, deps, steps, attempt } = host;
  return tryStep(async () => {
    const newer = supersedingCommit(session, settings, attempt.before.commit);
    const { commit, supersededBy } = await checkOutTarget(session, refOf(host), steps, deps.reporter.logger, newer);
    const release = { ...attempt.release, commit };
    if (!supersededBy) await session.runtime.stage(release, steps);
    return { ...host, attempt: { ...attempt, release }, supersededBy };
  });
}

/** Starts the staged version and proves it healthy; a failure ends this host as a deploy on one host would. */
export async function switchHost(host: LockedHost): Promise<Outcome> {
  const { session, settings, deps, steps, attempt } = host;
  const proven = await tryStep(async () => {
    await session.runtime.start(steps);
    return prove(session, steps);
  });
  if (!proven.ok) return afterFailure(session, settings, deps, steps, proven.failure, attempt);
  return recordSuccess(session, attempt, proven.value, steps);
}

/** A push deploy older than what runs on this host: its release recorded superseded, nothing changed. */
export function skipHost(host: LockedHost, by: string): Promise<Outcome> {
  const { attempt, steps, deps } = host;
  return skipSuperseded(attempt, attempt.release.commit ?? '', by, steps, deps);
}

/**
 * Takes a host that switched back to what ran before this run, as a failed deploy's rollback does
 * (kept images; its release recorded rolled_back, so no later rollback picks it as a good release).
 * When that fails, the switched version is put back. Undefined when nothing ran before.
 */
export async function revertHost(host: LockedHost, switched: Outcome, reason: string): Promise<Outcome | undefined> {
  const { session, settings, steps, attempt } = host;
  const release = switched.release;
  const target = release && rollbackTarget(attempt, release);
  if (!release || !target?.commit) return undefined;
  const ended = (fields: OutcomeFields): Outcome =>
    outcomeOf({ previousRef: attempt.before.commit, steps: steps.records, warnings: steps.warnings, ...fields });
  const hoped = `Rolled back: ${reason}.`;
  const reverted = await rollBack(session, settings, steps, { ...attempt, release: { ...release, error: hoped } }, target, ended);
  if (reverted.status === 'rolled_back') return reverted;
  const commit = release.commit?.slice(0, 12);
  const putBack = await steps.bestEffort(`put back ${commit}, which this run switched to`, () =>
    restoreRelease(session, settings, release),
  );
  // The record hoped for a rollback; it says instead that there was none, and what runs.
  const why = (reverted.error ?? '').replace(`${hoped}\n`, '');
  const error = `Not rolled back: ${reason}. ${why}${putBack ? `\nberth put back ${commit}: this host runs it.` : ''}`;
  await steps.bestEffort('record the failed take-back', () => attempt.store.save({ ...release, error, steps: steps.records }));
  return { ...reverted, failedStep: 'rollback', error, deployedRef: putBack ? release.commit : undefined };
}

/**
 * How a host that never switched ends: failed in its own step, or cancelled — the run was stopped
 * (in `step`), or another host failed first.
 */
export type Abandoned =
  | { readonly state: 'failed'; readonly failure: StepError }
  | { readonly state: 'cancelled'; readonly error: string; readonly step?: StepName | undefined };

/**
 * Records the release of a host that never switched, and, when it was staged, puts its checkout and
 * image names back as they were. Its lock is released with the others'.
 */
export async function abandonHost(host: LockedHost, end: Abandoned, staged: boolean): Promise<Outcome> {
  const { session, steps, attempt } = host;
  const { commit } = attempt.before;
  const release =
    end.state === 'failed'
      ? transition(attempt.release, 'failed', { failedStep: end.failure.step, error: end.failure.message, steps: steps.records })
      : transition(attempt.release, 'cancelled', { failedStep: end.step, error: end.error, steps: steps.records });
  host.deps.reporter.logger.info(`${release.error ?? ''} Release ${release.id} is recorded ${end.state}; this host runs what it ran.`);
  await steps.bestEffort(`record the release as ${end.state}`, () => attempt.store.save(release));
  if (staged) {
    if (commit) await steps.bestEffort(`check out ${commit.slice(0, 12)} again`, () => session.app.checkout(commit));
    await steps.bestEffort('point the image names at what runs again', () => session.runtime.unstage());
  }
  return outcomeOf({
    status: end.state,
    release,
    deployedRef: commit,
    previousRef: commit,
    failedStep: release.failedStep,
    error: release.error,
    steps: steps.records,
    warnings: steps.warnings,
  });
}

/**
 * The host as the clean-up after a stopped run works on it: its commands under the clean-up's grace
 * (the run's own signal has aborted), each write of its record under its own short grace.
 */
export function underGrace(host: LockedHost, grace: RunContext): LockedHost {
  return {
    ...host,
    session: sessionUnder(host.session, host.settings, host.deps, grace),
    steps: host.steps.under(grace),
    attempt: { ...host.attempt, store: host.attempt.store.withSignal(recordSignal) },
  };
}
