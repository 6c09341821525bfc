/** Before anything changes: the lock, what runs now, and this run's release recorded in progress. */
import { newRelease, transition, whatRuns } from '../../release/release.js';
import type { Settings } from '../../settings/settings.js';
import { type AppSession, lockApp } from '../app-session.js';
import type { EngineDeps } from '../engine-deps.js';
import type { Steps } from '../steps.js';
import type { Attempt } from './attempt.js';

/**
 * Takes the lock (in the order the runs asked), reads what runs from the release history (not the
 * checkout, which a killed run may have moved; what a dead run left in progress is marked interrupted)
 * and records this run's release `in_progress`; releases the lock again when that fails.
 */
export function prepare(session: AppSession, settings: Settings, deps: EngineDeps, steps: Steps, ref: string): Promise<Attempt> {
  return steps.run('lock', 'Prepare the server', async () => {
    await session.runtime.verify();
    const locked = await lockApp(session, settings, deps, 'deploy');
    try {
      const { history } = locked;
      const before = whatRuns(history, await session.app.head());
      const release = transition(newRelease(ref, before.commit), 'in_progress');
      await locked.store.save(release);
      deps.reporter.logger.info(`Release ${release.id}: ${ref} (running now: ${before.commit?.slice(0, 12) ?? 'nothing'})`);
      return { ...locked, release, history, before };
    } catch (error) {
      await locked.unlock();
      throw error;
    }
  });
}
