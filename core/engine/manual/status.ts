/** `status`: the services' state and health, the commit running and the recent releases. */
import { servicesSummary } from '../../health/containers.js';
import type { Settings } from '../../settings/settings.js';
import type { EngineDeps } from '../engine-deps.js';
import { settledHistory } from '../app-session.js';
import { checkHealth } from '../health-check.js';
import { type Outcome, outcomeOf } from '../outcome.js';
import { withSession } from './with-session.js';

/** Reads what runs and how it is; fails when the app is not healthy. Changes nothing, so takes no lock. */
export function status(settings: Settings, deps: EngineDeps): Promise<Outcome> {
  return withSession(settings, deps, async (session) => {
    const { app, executor } = session;
    const head = await app.head();
    const history = await settledHistory(session, deps);
    const verdict = await checkHealth(app, executor, settings);
    const log = deps.reporter.logger;
    log.info(`Commit checked out: ${head ?? 'none'}`);
    for (const c of verdict.containers ?? [])
      log.info(`  ${c.service.padEnd(20)} ${c.state}${c.health ? ` (${c.health})` : ''}  ${c.image}`);
    log.info(`Health: ${verdict.kind === 'healthy' ? 'healthy' : verdict.reason}`);
    for (const r of history.slice(-5).reverse()) {
      log.info(
        `  ${r.id}  ${r.state.padEnd(11)} ${r.commit?.slice(0, 12) ?? '-'}  ${r.ref}${r.failedStep ? `  (failed at ${r.failedStep})` : ''}`,
      );
    }
    return outcomeOf({
      status: verdict.kind === 'healthy' ? 'succeeded' : 'failed',
      release: history.at(-1),
      deployedRef: head,
      services: servicesSummary(verdict.containers ?? []),
      ...(verdict.kind === 'healthy' ? {} : { failedStep: 'health', error: verdict.reason }),
    });
  });
}
