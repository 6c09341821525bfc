/** `logs`: the last `log-lines` lines of the chosen services, streamed. */
import type { Settings } from '../../settings/settings.js';
import { readAppState } from '../app-session.js';
import type { EngineDeps } from '../engine-deps.js';
import type { Outcome } from '../outcome.js';
import { withSession } from './with-session.js';

/** Streams the services' last log lines (all services when none are named). Changes nothing, so takes no lock. */
export function logs(settings: Settings, deps: EngineDeps): Promise<Outcome> {
  return withSession('logs', settings, deps, async ({ session, outcome }) => {
    await session.app.logs(settings.app.services, settings.logLines);
    const { running } = await readAppState(session);
    return outcome({ status: 'succeeded', deployedRef: running.commit });
  });
}
