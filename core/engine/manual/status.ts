/** `status`: what runs (from the release history), the services' state and health, and the recent releases. */
import type { Settings } from '../../settings/settings.js';
import { readAppState } from '../app-session.js';
import type { EngineDeps } from '../engine-deps.js';
import type { Outcome } from '../outcome.js';
import { withSession } from './with-session.js';

/** How many of the latest releases `status` shows. */
export const STATUS_RELEASES = 10;

/** Reads what runs and how it is; fails when the app is not healthy. Changes nothing, so takes no lock. */
export function status(settings: Settings, deps: EngineDeps): Promise<Outcome> {
  return withSession('status', settings, deps, async ({ session, outcome }) => {
    const { history, running, checkedOut } = await readAppState(session, deps);
    const { verdict, services, lines } = await session.runtime.look();
    const movedCheckout = checkedOut !== running.commit ? checkedOut : undefined;
    const log = deps.reporter.logger;
    log.info(`Running: ${running.commit ?? 'nothing recorded'}${running.release ? ` (release ${running.release.id})` : ''}`);
    if (movedCheckout) log.info(`Checked out: ${movedCheckout} (not what runs: a deploy in progress, or one that was stopped, moved it)`);
    for (const line of lines) log.info(line);
    log.info(`Health: ${verdict.kind === 'healthy' ? 'healthy' : verdict.reason}`);
    const recent = history.slice(-STATUS_RELEASES).reverse();
    for (const r of recent) {
      log.info(
        `  ${r.id}  ${r.state.padEnd(11)} ${r.commit?.slice(0, 12) ?? '-'}  ${r.ref}${r.failedStep ? `  (failed at ${r.failedStep})` : ''}`,
      );
    }
    return outcome({
      status: verdict.kind === 'healthy' ? 'succeeded' : 'failed',
      release: history.at(-1),
      deployedRef: running.commit,
      checkedOut: movedCheckout,
      services,
      history: recent,
      ...(verdict.kind === 'healthy' ? {} : { failedStep: 'health', error: verdict.reason }),
    });
  });
}
