/** Before anything changes: the lock, what runs now, and this run's release recorded in progress. */
import { newRelease, transition } from '../../release/release.js';
import type { Settings } from '../../settings/settings.js';
import { type AppSession, lockApp } from '../app-session.js';
import type { EngineDeps } from '../engine-deps.js';
import type { Steps } from '../steps.js';
import type { Attempt } from './attempt.js';

/** Takes the lock and records the release `in_progress`; releases the lock again when that fails. */
export function prepare(session: AppSession, settings: Settings, deps: EngineDeps, steps: Steps, ref: string): Promise<Attempt> {
  return steps.run('lock', 'Prepare the server', async () => {
    await session.runtime.verify();
    const locked = await lockApp(session, settings, deps, 'deploy');
    try {
      const running = await session.app.head();
      const release = transition(newRelease(ref, running), 'in_progress');
      await locked.store.save(release);
      deps.reporter.logger.info(`Release ${release.id}: ${ref} (running now: ${running?.slice(0, 12) ?? 'nothing'})`);
      return { ...locked, release, running };
    } catch (error) {
      await locked.unlock();
      throw error;
    }
  });
}
