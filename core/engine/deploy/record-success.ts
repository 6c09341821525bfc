/**
 * A healthy deploy: once health passed the release is succeeded, whatever happens next. Recording
 * it, keeping its images for a rollback and pruning are bookkeeping: a failure is a warning.
 */
import { servicesSummary } from '../../health/containers.js';
import { type Release, releaseImages, transition } from '../../release/release.js';
import type { AppSession } from '../app-session.js';
import { type Outcome, outcomeOf } from '../outcome.js';
import type { Steps } from '../steps.js';
import type { Attempt } from './attempt.js';
import type { Proven } from './ship.js';

/** Good releases whose images are kept for an instant rollback. */
export const KEPT_RELEASES = 5;

export async function recordSuccess(session: AppSession, attempt: Attempt, proven: Proven, steps: Steps): Promise<Outcome> {
  const commit = attempt.release.commit ?? '';
  const release = transition(attempt.release, 'succeeded', { steps: steps.records, ...releaseImages(proven.containers) });
  await steps.bestEffort('record the release as succeeded', () => attempt.store.save(release));
  const keep = keptCommits([...attempt.history, release]);
  await steps.bestEffort('tag the images kept for a rollback', () => session.app.keepImages(proven.containers, commit, keep));
  await steps.bestEffort('prune dangling images', () => session.app.pruneDangling());
  return outcomeOf({
    status: 'succeeded',
    release,
    deployedRef: commit,
    previousRef: attempt.before.commit,
    services: servicesSummary(proven.containers),
    healthyAfterMs: proven.elapsedMs,
    steps: steps.records,
    warnings: steps.warnings,
  });
}

/** The commits of the last KEPT_RELEASES good releases. */
function keptCommits(history: readonly Release[]): string[] {
  return history
    .filter((r) => r.state === 'succeeded' && r.commit)
    .slice(-KEPT_RELEASES)
    .map((r) => r.commit ?? '');
}
