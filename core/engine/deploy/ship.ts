/** The new version: fetched and checked out, pulled, built and started, then proven healthy. */
import type { ContainerState } from '../../health/containers.js';
import type { Logger } from '../../log.js';
import type { Settings } from '../../settings/settings.js';
import type { AppSession } from '../app-session.js';
import { awaitHealthy } from '../health-check.js';
import { BuildFailedError } from '../remote-app.js';
import { StepError, type Steps } from '../steps.js';

/** Fetches origin and checks out exactly the commit `ref` names; returns that commit. */
export function checkOutTarget(session: AppSession, ref: string, steps: Steps, log: Logger): Promise<string> {
  return steps.run('fetch', `Fetch and check out ${ref}`, async () => {
    await session.app.fetch();
    const commit = await session.app.resolve(ref);
    await session.app.checkout(commit);
    log.info(`Checked out ${commit}.`);
    return commit;
  });
}

/**
 * Pulls registry images, then builds and starts the checked-out version beside the running one.
 * Building and starting are one Compose run (one start-up less); a failure in it is recorded as
 * `build` when building failed, else `up`.
 */
export async function ship(session: AppSession, steps: Steps): Promise<void> {
  const { app } = session;
  await steps.run('pull', 'Pull images', () => app.pull());
  await steps.run('up', 'Build and start the new version', async () => {
    // Learning the project's label meanwhile lets health polls ask docker directly, not Compose.
    await Promise.all([
      app.buildAndUp().catch((error: unknown) => {
        throw error instanceof BuildFailedError ? new StepError('build', error.original) : error;
      }),
      app.learnProject(),
    ]);
  });
}

export interface Proven {
  readonly containers: ContainerState[];
  readonly elapsedMs: number;
}

/** Waits until the new version is healthy, or fails the `health` step. */
export function prove(session: AppSession, settings: Settings, steps: Steps): Promise<Proven> {
  return steps.run('health', 'Health check', () => awaitHealthy(session.app, session.executor, settings, session.health));
}
