/**
 * `rollback`: puts back a commit (`ref`) or the previous good release, from kept images when they
 * exist, under the lock. When that fails, what ran before is put back, so the app is never left
 * half-switched.
 */
import { BerthError, describeError, InputError } from '../../errors.js';
import { lastGood, newRelease, type Release, type Running, transition } from '../../release/release.js';
import type { ReleaseStore } from '../../release/release-store.js';
import { Inputs } from '../../settings/input-names.js';
import type { Settings } from '../../settings/settings.js';
import { recordedImages } from '../app-runtime.js';
import { type AppSession, type AppState, readAppState } from '../app-session.js';
import type { EngineDeps } from '../engine-deps.js';
import type { Outcome } from '../outcome.js';
import { type Restored, restoreRelease, unrecordedRelease } from '../restore-release.js';
import { type StepError, stepErrorOf, type Steps } from '../steps.js';
import { type ManualRun, withLock, withSession } from './with-session.js';

type Target = Release & { readonly commit: string };

const short = (commit: string): string => commit.slice(0, 12);

/** Restores the target and records it as a release; `succeeded` when the target serves healthy. */
export function rollback(settings: Settings, deps: EngineDeps): Promise<Outcome> {
  return withSession('rollback', settings, deps, (run) =>
    withLock(run, settings, deps, 'rollback', async ({ store }) => {
      const state = await readAppState(run.session, store);
      const target = await chooseTarget(run.session, run.steps, settings, state);
      return restoreTarget(run, settings, deps, store, target, state.running);
    }),
  );
}

/**
 * Whether the rollback has a target on this app, checked without the lock and changing nothing (it
 * throws as the rollback would): a run on several hosts checks every host before any rolls back.
 */
export async function checkRollbackTarget(session: AppSession, settings: Settings, deps: EngineDeps, steps: Steps): Promise<void> {
  await chooseTarget(session, steps, settings, await readAppState(session, deps));
}

/**
 * The newest good release of `ref`'s commit (or that commit alone, rebuilt), else the good release
 * before what runs. Changes nothing on the server: an unknown ref (step `inputs`) or no earlier good
 * release fails here.
 */
async function chooseTarget(session: AppSession, steps: Steps, settings: Settings, { history, running }: AppState): Promise<Target> {
  const ref = settings.ref;
  if (ref) {
    await steps.run('fetch', `Fetch ${ref}`, () => session.app.fetch());
    const commit = await session.app.resolve(ref).catch((error: unknown) => {
      // A ref the repository does not have is a wrong input, like an unknown service.
      throw stepErrorOf(error, error instanceof InputError ? 'inputs' : 'fetch');
    });
    const recorded = [...history].reverse().find((r) => r.commit === commit && r.state === 'succeeded');
    return recorded ? { ...recorded, commit } : unrecordedRelease(commit);
  }
  const target = lastGood(history, running.commit);
  if (target?.commit) return { ...target, commit: target.commit };
  const before = running.commit ? `no good release before ${short(running.commit)}, which runs now` : 'no good release in the history';
  throw new BerthError(
    `Nothing to roll back to: input '${Inputs.ref}' is empty and there is ${before}. Nothing was changed.`,
    `Give the commit to roll back to as the input '${Inputs.ref}'.`,
  );
}

async function restoreTarget(
  run: ManualRun,
  settings: Settings,
  deps: EngineDeps,
  store: ReleaseStore,
  target: Target,
  running: Running,
): Promise<Outcome> {
  // Written before anything changes: if it cannot be, the rollback stops with nothing changed.
  const release = transition(newRelease(settings.ref ?? target.commit, running.commit), 'in_progress', {
    commit: target.commit,
    rolledBackFrom: running.commit,
  });
  await store.save(release);
  let restored: Restored;
  try {
    restored = await run.steps.run('rollback', `Roll back to ${short(target.commit)}`, () => restoreRelease(run.session, settings, target));
  } catch (error) {
    return putBack(run, settings, deps, store, release, running, stepErrorOf(error, 'rollback'));
  }
  const done = transition(release, 'succeeded', recordedImages(restored.proven));
  await run.steps.bestEffort('record the rollback', () => store.save(done));
  return run.outcome({
    status: 'succeeded',
    release: done,
    deployedRef: target.commit,
    previousRef: running.commit,
    services: restored.proven.services,
    rollback: { from: running.commit, to: target.commit, images: restored.images },
  });
}

/** After a failed rollback: brings back what ran before it, and records the rollback failed. */
async function putBack(
  run: ManualRun,
  settings: Settings,
  deps: EngineDeps,
  store: ReleaseStore,
  release: Release,
  running: Running,
  failed: StepError,
): Promise<Outcome> {
  const previous = running.release ?? (running.commit ? unrecordedRelease(running.commit) : undefined);
  let error = failed.message;
  let restored: Restored | undefined;
  if (previous?.commit) {
    const commit = short(previous.commit);
    try {
      restored = await deps.reporter.group(`Put back ${commit}, which ran before`, () => restoreRelease(run.session, settings, previous));
      error += `\nberth put back ${commit}, which ran before the rollback.`;
    } catch (putBackError) {
      error += `\nberth tried to put back ${commit}, which ran before the rollback, and that failed too: ${describeError(putBackError)}`;
    }
  }
  const failedRelease = transition(release, 'failed', { failedStep: 'rollback', error });
  await run.steps.bestEffort('record the failed rollback', () => store.save(failedRelease));
  return run.outcome({
    status: 'failed',
    release: failedRelease,
    failedStep: failed.step,
    error,
    deployedRef: restored ? previous?.commit : undefined,
    previousRef: running.commit,
    services: restored ? restored.proven.services : {},
  });
}
