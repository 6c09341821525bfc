/** `logs`: the last `log-lines` lines of the chosen services, streamed. */
import type { Settings } from '../../settings/settings.js';
import type { EngineDeps } from '../engine-deps.js';
import { type Outcome, outcomeOf } from '../outcome.js';
import { withSession } from './with-session.js';

/** Streams the services' last log lines (all services when none are named). Changes nothing, so takes no lock. */
export function logs(settings: Settings, deps: EngineDeps): Promise<Outcome> {
  return withSession(settings, deps, async ({ app, runtime }) => {
    await runtime.logs(settings.app.services, settings.logLines);
    return outcomeOf({ status: 'succeeded', deployedRef: await app.head() });
  });
}
