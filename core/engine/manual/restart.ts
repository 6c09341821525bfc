/** `restart`: restarts the chosen services and waits until they are healthy. */
import { servicesSummary } from '../../health/containers.js';
import type { Settings } from '../../settings/settings.js';
import type { EngineDeps } from '../engine-deps.js';
import { awaitHealthy } from '../health-check.js';
import { type Outcome, outcomeOf } from '../outcome.js';
import { StepError } from '../steps.js';
import { withSession } from './with-session.js';

/** Restarts the chosen services (all when none) and waits until they are healthy. */
export function restart(settings: Settings, deps: EngineDeps): Promise<Outcome> {
  return withSession(settings, deps, async (session) => {
    const { app, executor } = session;
    await deps.reporter.group('Restart', () => app.restart(settings.app.services));
    const containers = await deps.reporter.group('Health check', () =>
      awaitHealthy(app, executor, settings, session.health).then(
        (healthy) => healthy.containers,
        (error: unknown) => {
          throw new StepError('health', error);
        },
      ),
    );
    return outcomeOf({ status: 'succeeded', deployedRef: await app.head(), services: servicesSummary(containers) });
  });
}
