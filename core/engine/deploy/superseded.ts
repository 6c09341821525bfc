/**
 * Push deploys that arrive out of order. Deploys take the lock in the order they asked, but pushes can
 * reach the runners out of order (a re-run, a slow queue): a push deploy that gets the lock after a
 * newer commit went live — its commit is an ancestor of what runs now — skips itself as `superseded`
 * instead of putting an older version back. A manual deploy (workflow_dispatch, the CLI) of an older
 * commit does what it is told.
 */
import { transition } from '../../release/release.js';
import type { Settings } from '../../settings/settings.js';
import type { AppSession } from '../app-session.js';
import type { EngineDeps } from '../engine-deps.js';
import { type Outcome, outcomeOf } from '../outcome.js';
import type { Steps } from '../steps.js';
import type { Attempt } from './attempt.js';

/** For a push deploy: the commit running now when `commit` is an older one in its history, else undefined. */
export function supersedingCommit(
  session: AppSession,
  settings: Settings,
  running: string | undefined,
): (commit: string) => Promise<string | undefined> {
  return async (commit: string): Promise<string | undefined> => {
    if (settings.trigger !== 'push' || !running || running === commit) return undefined;
    return (await session.app.isAncestor(commit, running)) ? running : undefined;
  };
}

/** Records the release `superseded` (a failed write is a warning) and ends the run successfully, having changed nothing. */
export async function skipSuperseded(attempt: Attempt, commit: string, by: string, steps: Steps, deps: EngineDeps): Promise<Outcome> {
  const error = `Superseded: ${by.slice(0, 12)}, a newer commit, went live while this push deploy of ${commit.slice(0, 12)} waited for the lock; nothing was changed.`;
  deps.reporter.logger.info(error);
  const release = transition(attempt.release, 'superseded', { commit, error, steps: steps.records });
  await steps.bestEffort(`record release ${release.id} as superseded`, () => attempt.store.save(release));
  return outcomeOf({
    status: 'superseded',
    release,
    supersededBy: by,
    deployedRef: by,
    previousRef: by,
    steps: steps.records,
    warnings: steps.warnings,
  });
}
