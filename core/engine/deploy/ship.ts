/** The new version: fetched and checked out, pulled, built and started, then proven healthy. */
import type { Logger } from '../../log.js';
import type { Release } from '../../release/release.js';
import type { Proven } from '../app-runtime.js';
import type { AppSession } from '../app-session.js';
import type { Steps } from '../steps.js';

export type { Proven } from '../app-runtime.js';

/** The commit a deploy ships; or, when the deploy skips itself, the newer commit that supersedes it (nothing checked out). */
export interface Target {
  readonly commit: string;
  readonly supersededBy: string | undefined;
}

/**
 * Fetches origin and checks out exactly the commit `ref` names, unless `supersededBy` names a newer
 * commit that makes this deploy pointless (then nothing is checked out).
 */
export function checkOutTarget(
  session: AppSession,
  ref: string,
  steps: Steps,
  log: Logger,
  supersededBy: (commit: string) => Promise<string | undefined> = async () => undefined,
): Promise<Target> {
  return steps.run('fetch', `Fetch and check out ${ref}`, async () => {
    await session.app.fetch();
    const commit = await session.app.resolve(ref);
    const newer = await supersededBy(commit);
    if (newer) return { commit, supersededBy: newer };
    await session.app.checkout(commit);
    log.info(`Checked out ${commit}.`);
    return { commit, supersededBy: undefined };
  });
}

/** Builds and starts the checked-out version (Compose: pull, then build and up beside the running one; Swarm: a stack update). */
export function ship(session: AppSession, release: Release, steps: Steps): Promise<void> {
  return session.runtime.ship(release, steps);
}

/** Waits until the new version is healthy, or fails the `health` step. */
export function prove(session: AppSession, steps: Steps): Promise<Proven> {
  return steps.run('health', 'Health check', () => session.runtime.prove());
}
