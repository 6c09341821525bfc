/**
 * One host's part of a deploy on several, in the phases the fleet runs them: lock, stage (fetch, pull,
 * build; nothing started), switch (up, health, record; its own failure path rolls this host back),
 * and, when the rollout stops, revert (a host already switched goes back) or abandon (a host never
 * switched is put back as it was and its release recorded).
 */
import { checkInputs } from '../engine/check-inputs.js';
import { type Attempt, type StepResult, tryStep } from '../engine/deploy/attempt.js';
import { prepare } from '../engine/deploy/prepare.js';
import { recordSuccess } from '../engine/deploy/record-success.js';
import { recover, rollBack, rollbackTarget } from '../engine/deploy/recover.js';
import { checkOutTarget, prove } from '../engine/deploy/ship.js';
import { type Outcome, type OutcomeFields, outcomeOf } from '../engine/outcome.js';
import { restoreRelease } from '../engine/restore-release.js';
import type { StepError } from '../engine/steps.js';
import { transition } from '../release/release.js';
import type { ConnectedHost } from './fleet-host.js';

/** A host that holds its lock and has recorded its release. */
export interface LockedHost extends ConnectedHost {
  readonly attempt: Attempt;
}

/** The ref every host deploys. */
const refOf = (host: ConnectedHost): string => host.settings.ref ?? 'HEAD';

/** Checks the inputs the server can check, takes the host's lock and records its release in progress. */
export async function lockHost(host: ConnectedHost): Promise<StepResult<LockedHost>> {
  const { session, settings, deps, steps } = host;
  return tryStep(async () => {
    await checkInputs(session.app, settings.app, steps);
    return { ...host, attempt: await prepare(session, settings, deps, steps, refOf(host)) };
  });
}

/** Fetches and checks out the commit, then pulls and builds it without starting anything. */
export async function stageHost(host: LockedHost): Promise<StepResult<LockedHost>> {
  const { session, deps, steps, attempt } = host;
  return tryStep(async () => {
    const commit = await checkOutTarget(session, refOf(host), steps, deps.reporter.logger);
    const release = { ...attempt.release, commit };
    await session.runtime.stage(release, steps);
    return { ...host, attempt: { ...attempt, release } };
  });
}

/** Starts the staged version and proves it healthy; a failure takes this host back as a deploy on one host would. */
export async function switchHost(host: LockedHost): Promise<Outcome> {
  const { session, settings, deps, steps, attempt } = host;
  const proven = await tryStep(async () => {
    await session.runtime.start(steps);
    return prove(session, steps);
  });
  if (!proven.ok) return recover(session, settings, deps, steps, proven.failure, attempt);
  return recordSuccess(session, attempt, proven.value, steps);
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
  const reverted = await rollBack(
    session,
    settings,
    steps,
    { ...attempt, release: { ...release, error: `Rolled back: ${reason}.` } },
    target,
    ended,
  );
  if (reverted.status === 'rolled_back') return reverted;
  const commit = release.commit?.slice(0, 12);
  const putBack = await steps.bestEffort(`put back ${commit}, which this run switched to`, () =>
    restoreRelease(session, settings, release),
  );
  const error = putBack ? `${reverted.error ?? ''}\nberth put back ${commit}.` : reverted.error;
  return { ...reverted, failedStep: 'rollback', error, deployedRef: putBack ? release.commit : undefined };
}

/** How a host that never switched ends: failed in its own step, or cancelled because another host failed. */
export type Abandoned =
  { readonly state: 'failed'; readonly failure: StepError } | { readonly state: 'cancelled'; readonly reason: string };

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
      : transition(attempt.release, 'cancelled', { error: `Not started: ${end.reason}`, steps: steps.records });
  await steps.bestEffort(`record the release as ${end.state}`, () => attempt.store.save(release));
  if (staged) {
    if (commit) await steps.bestEffort(`check out ${commit.slice(0, 12)} again`, () => session.app.checkout(commit));
    await steps.bestEffort('point the image names at what runs again', () => session.runtime.unstage());
  }
  return outcomeOf({
    status: 'failed',
    release,
    deployedRef: commit,
    previousRef: commit,
    failedStep: release.failedStep,
    error: release.error,
    steps: steps.records,
    warnings: steps.warnings,
  });
}
