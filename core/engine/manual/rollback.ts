/** `rollback`: puts back a commit (`ref`) or the previous good release, from kept images when they exist. */
import { BerthError, InputError } from '../../errors.js';
import { servicesSummary } from '../../health/containers.js';
import { lastGood, newRelease, type Release, transition } from '../../release/release.js';
import { Inputs } from '../../settings/input-names.js';
import type { Settings } from '../../settings/settings.js';
import { show } from '../../settings/validators.js';
import type { AppSession, LockedApp } from '../app-session.js';
import type { EngineDeps } from '../engine-deps.js';
import { type Outcome, outcomeOf } from '../outcome.js';
import { restoreRelease } from '../restore-release.js';
import { StepError } from '../steps.js';
import { withLock, withSession } from './with-session.js';

/** Restores the target under the lock and records it as a release; `succeeded` when the target serves healthy. */
export function rollback(settings: Settings, deps: EngineDeps): Promise<Outcome> {
  return withSession(settings, deps, 'rollback', (session) =>
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
    const commit = await resolveInput(session, settings.ref, settings.app.path);
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
      new BerthError(
        'There is no previous good release to roll back to.',
        `Give the commit to roll back to as the input '${Inputs.ref}'. Nothing was changed on the server.`,
      ),
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
    const { containers, fromKeptImages } = await deps.reporter.group(`Roll back to ${target.commit.slice(0, 12)}`, () =>
      restoreRelease(session, settings, target),
    );
    release = transition(release, 'succeeded', { images: target.images, imageNames: target.imageNames });
    await store.save(release);
    return outcomeOf({
      status: 'succeeded',
      release,
      deployedRef: target.commit,
      previousRef: current,
      services: servicesSummary(containers),
      restored: { from: current, to: target.commit, fromKeptImages },
    });
  } catch (error) {
    release = transition(release, 'failed', { failedStep: 'rollback', error: (error as Error).message });
    await store.save(release);
    throw new StepError('rollback', error);
  }
}

/** The commit `ref` names on the server; an input error, before anything changed, when it names none. */
async function resolveInput(session: AppSession, ref: string, path: string): Promise<string> {
  try {
    return await session.app.resolve(ref);
  } catch (error) {
    throw new StepError(
      'inputs',
      new InputError(
        `Invalid input '${Inputs.ref}': ${show(ref)} does not name a commit in ${path} on ${session.app.where}, after fetching origin. Expected a commit SHA, tag or branch that was pushed.`,
        'Nothing was changed on the server.',
        { cause: error },
      ),
    );
  }
}
