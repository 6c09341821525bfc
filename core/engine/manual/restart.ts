/** `restart`: restarts the chosen services and waits until they are healthy. */
import type { Settings } from '../../settings/settings.js';
import type { EngineDeps } from '../engine-deps.js';
import { type Outcome, outcomeOf } from '../outcome.js';
import { StepError } from '../steps.js';
import { withSession } from './with-session.js';

/** Restarts the chosen services (all when none) and waits until they are healthy. */
export function restart(settings: Settings, deps: EngineDeps): Promise<Outcome> {
  return withSession(settings, deps, async ({ app, runtime }) => {
    await deps.reporter.group('Restart', () => runtime.restart(settings.app.services));
    const proven = await deps.reporter.group('Health check', () =>
      runtime.prove().catch((error: unknown) => {
        throw new StepError('health', error);
      }),
    );
    return outcomeOf({ status: 'succeeded', deployedRef: await app.head(), services: proven.services });
  });
}
