/**
 * A healthy deploy: once health passed the release is succeeded, whatever happens next. Recording
 * it, keeping its images for a rollback and pruning are bookkeeping: a failure is a warning.
 */
import { type Release, transition } from '../../release/release.js';
import { recordSignal } from '../../run-context.js';
import { recordedImages } from '../app-runtime.js';
import type { AppSession } from '../app-session.js';
import { type Outcome, outcomeOf } from '../outcome.js';
import type { Steps } from '../steps.js';
import type { Attempt } from './attempt.js';
import type { Proven } from './ship.js';

/** Good releases whose images are kept for an instant rollback. */
export const KEPT_RELEASES = 5;

export async function recordSuccess(session: AppSession, attempt: Attempt, proven: Proven, steps: Steps): Promise<Outcome> {
  const commit = attempt.release.commit ?? '';
  const release = transition(attempt.release, 'succeeded', { steps: steps.records, ...recordedImages(proven) });
  // It went live: a stop from here on must not keep that from the record.
  await steps.bestEffort('record the release as succeeded', () => attempt.store.withSignal(recordSignal).save(release));
  const keep = keptReleases([...attempt.history, release]);
  await steps.bestEffort('keep the images a rollback needs and prune older ones', () => session.runtime.keep(release, proven, keep));
  return outcomeOf({
    status: 'succeeded',
    release,
    deployedRef: commit,
    previousRef: attempt.before.commit,
    services: proven.services,
    healthyAfterMs: proven.elapsedMs,
    steps: steps.records,
    warnings: steps.warnings,
  });
}

/** The last KEPT_RELEASES good releases. */
function keptReleases(history: readonly Release[]): Release[] {
  return history.filter((r) => r.state === 'succeeded' && r.commit).slice(-KEPT_RELEASES);
}
