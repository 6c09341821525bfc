/** A healthy deploy: the release recorded succeeded, what a rollback needs kept, older images let go. */
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
  const release = transition(attempt.release, 'succeeded', {
    steps: steps.records,
    images: proven.images,
    imageNames: proven.imageNames,
    ...(proven.stackFile ? { stackFile: proven.stackFile } : {}),
  });
  const history = await attempt.store.save(release);
  const recentGood = history.filter((r) => r.state === 'succeeded' && r.commit).slice(-KEPT_RELEASES);
  await session.runtime.keep(release, proven, recentGood);
  return outcomeOf({
    status: 'succeeded',
    release,
    deployedRef: commit,
    previousRef: attempt.running,
    services: proven.services,
    healthyAfterMs: proven.elapsedMs,
    steps: steps.records,
  });
}
