/** `logs`: the last `log-lines` lines of each chosen service, with their times, one log group per service. */
import type { Settings } from '../../settings/settings.js';
import { readAppState } from '../app-session.js';
import type { EngineDeps } from '../engine-deps.js';
import type { Outcome } from '../outcome.js';
import { withSession } from './with-session.js';

/** Streams each service's last log lines (every service when none are named); fails when Compose does. Takes no lock. */
export function logs(settings: Settings, deps: EngineDeps): Promise<Outcome> {
  return withSession('logs', settings, deps, async ({ session, outcome }) => {
    const { runtime } = session;
    for (const service of await runtime.services(settings.app.services)) {
      await deps.reporter.group(`Logs of ${service} (last ${settings.logLines} lines)`, () => runtime.logs([service], settings.logLines));
    }
    const { running } = await readAppState(session, deps);
    return outcome({ status: 'succeeded', deployedRef: running.commit });
  });
}
