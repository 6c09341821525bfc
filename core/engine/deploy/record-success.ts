/** A healthy deploy: the release recorded succeeded, its images kept for a rollback, dangling images pruned. */
import { type ContainerState, servicesSummary } from '../../health/containers.js';
import { transition } from '../../release/release.js';
import type { AppSession } from '../app-session.js';
import { type Outcome, outcomeOf } from '../outcome.js';
import type { Steps } from '../steps.js';
import type { Attempt } from './attempt.js';
import type { Proven } from './ship.js';

/** Good releases whose images are kept for an instant rollback. */
export const KEPT_RELEASES = 5;

export async function recordSuccess(session: AppSession, attempt: Attempt, proven: Proven, steps: Steps): Promise<Outcome> {
  const commit = attempt.release.commit ?? '';
  const release = transition(attempt.release, 'succeeded', { steps: steps.records, ...imagesOf(proven.containers) });
  const history = await attempt.store.save(release);
  const recentGood = history.filter((r) => r.state === 'succeeded' && r.commit).slice(-KEPT_RELEASES);
  await session.app.keepImages(
    proven.containers,
    commit,
    recentGood.map((r) => r.commit ?? ''),
  );
  await session.app.pruneDangling();
  return outcomeOf({
    status: 'succeeded',
    release,
    deployedRef: commit,
    previousRef: attempt.running,
    services: servicesSummary(proven.containers),
    healthyAfterMs: proven.elapsedMs,
    steps: steps.records,
  });
}

/** Service → image id it ran, and service → image name Compose uses: a rollback reuses them without rebuilding. */
function imagesOf(containers: readonly ContainerState[]): { images: Record<string, string>; imageNames: Record<string, string> } {
  const images: Record<string, string> = {};
  const imageNames: Record<string, string> = {};
  for (const c of containers) {
    images[c.service] = c.imageId;
    imageNames[c.service] = c.image;
  }
  return { images, imageNames };
}
