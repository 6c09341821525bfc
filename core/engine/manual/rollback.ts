/** `rollback`: puts back a commit (`ref`) or the previous good release, from kept images when they exist. */
import { BerthError } from '../../errors.js';
import { lastGood, newRelease, type Release, transition } from '../../release/release.js';
import type { Settings } from '../../settings/settings.js';
import type { AppSession, LockedApp } from '../app-session.js';
import type { EngineDeps } from '../engine-deps.js';
import { type Outcome, outcomeOf } from '../outcome.js';
import { restoreRelease } from '../restore-release.js';
import { StepError } from '../steps.js';
import { withLock, withSession } from './with-session.js';

/** Restores the target under the lock and records it as a release; `succeeded` when the target serves healthy. */
export function rollback(settings: Settings, deps: EngineDeps): Promise<Outcome> {
  return withSession(settings, deps, (session) =>
    withLock(session, settings, deps, 'rollback', async (locked) => {
      const history = await locked.store.list();
      const current = await session.app.head();
      const target = await chooseTarget(session, settings, history, current);
      return restoreTarget(session, settings, deps, locked, target, current);
    }),
  );
}

/** The release to put back: the newest good release of `ref`'s commit (or that commit alone), else the previous good release. */
async function chooseTarget(
  session: AppSession,
  settings: Settings,
  history: readonly Release[],
  current: string | undefined,
): Promise<Release & { commit: string }> {
  let target: Release | undefined;
  if (settings.ref) {
    await session.app.fetch();
    const commit = await session.app.resolve(settings.ref);
    target = [...history].reverse().find((r) => r.commit === commit && r.state === 'succeeded') ?? {
      ...newRelease(settings.ref, undefined),
      commit,
    };
  } else {
    target = lastGood(history, current);
  }
  if (!target?.commit) {
    throw new StepError(
      'rollback',
      new BerthError('There is no previous good release to roll back to.', 'Give the commit to roll back to as ref.'),
    );
  }
  return { ...target, commit: target.commit };
}

async function restoreTarget(
  session: AppSession,
  settings: Settings,
  deps: EngineDeps,
  { store }: LockedApp,
  target: Release & { commit: string },
  current: string | undefined,
): Promise<Outcome> {
  let release = transition(newRelease(settings.ref ?? target.commit, current), 'in_progress', {
    commit: target.commit,
    rolledBackFrom: current,
  });
  await store.save(release);
  try {
    const proven = await deps.reporter.group(`Roll back to ${target.commit.slice(0, 12)}`, () => restoreRelease(session, settings, target));
    release = transition(release, 'succeeded', {
      images: proven.images,
      imageNames: proven.imageNames,
      ...(proven.stackFile ? { stackFile: proven.stackFile } : {}),
    });
    await store.save(release);
    return outcomeOf({
      status: 'succeeded',
      release,
      deployedRef: target.commit,
      previousRef: current,
      services: proven.services,
    });
  } catch (error) {
    release = transition(release, 'failed', { failedStep: 'rollback', error: (error as Error).message });
    await store.save(release);
    throw new StepError('rollback', error);
  }
}
