/** `restart`: restarts the chosen services and waits until they are healthy. */
import type { Settings } from '../../settings/settings.js';
import { readAppState } from '../app-session.js';
import type { EngineDeps } from '../engine-deps.js';
import type { Outcome } from '../outcome.js';
import { withLock, withSession } from './with-session.js';

/** Restarts the chosen services (all when none) and waits until they are healthy, under the lock, so it cannot race a deploy. */
export function restart(settings: Settings, deps: EngineDeps): Promise<Outcome> {
  return withSession('restart', settings, deps, (run) =>
    withLock(run, settings, deps, 'restart', async ({ store }) => {
      const { session, steps } = run;
      const { runtime } = session;
      const services = settings.app.services;
      await steps.run('restart', `Restart ${services.length ? services.join(', ') : 'all services'}`, () => runtime.restart(services));
      const healthy = await steps.run('health', 'Health check', () => runtime.prove());
      const { running } = await readAppState(session, store);
      return run.outcome({ status: 'succeeded', deployedRef: running.commit, services: healthy.services });
    }),
  );
}
