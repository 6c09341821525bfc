/** `logs`: the last `log-lines` lines of each chosen service, with their times, one log group per service. */
import type { Settings } from '../../settings/settings.js';
import type { EngineDeps } from '../engine-deps.js';
import { type Outcome, outcomeOf } from '../outcome.js';
import { withSession } from './with-session.js';

/** Streams each service's last log lines (every service when none are named); fails when Compose does. Takes no lock. */
export function logs(settings: Settings, deps: EngineDeps): Promise<Outcome> {
  return withSession(settings, deps, 'logs', async ({ app }) => {
    const services = settings.app.services.length > 0 ? settings.app.services : await app.serviceNames();
    for (const service of services) {
      await deps.reporter.group(`Logs of ${service} (last ${settings.logLines} lines)`, () => app.logs([service], settings.logLines));
    }
    return outcomeOf({ status: 'succeeded', deployedRef: await app.head() });
  });
}
