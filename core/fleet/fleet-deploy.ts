/**
 * A deploy on several hosts. Lint runs once. Then every host is prepared before any switches: all
 * connect (each key verified on its own), lock one by one in a fixed order, and fetch, pull and build
 * at once; a host failing there changes nothing anywhere. With `migrate-command`, the migration then
 * runs once, on the first host (see migrate-fleet.ts). Then hosts switch `parallel` at a time, in
 * the order given. The first host whose switch fails stops the rollout: no new batch starts, the
 * hosts never reached are put back as they were (their releases recorded `cancelled`), and with
 * `rollback-on-failure` the hosts already switched go back too, so the fleet ends on one version.
 */
import { tryStep } from '../engine/deploy/attempt.js';
import type { EngineDeps } from '../engine/engine-deps.js';
import type { Outcome } from '../engine/outcome.js';
import { Steps } from '../engine/steps.js';
import { openContext } from '../run-context.js';
import type { Settings } from '../settings/settings.js';
import { fleetHosts } from './fleet-host.js';
import { migrateOnce } from './migrate-fleet.js';
import { prepareFleet } from './prepare-fleet.js';
import { Rollout } from './rollout.js';
import { switchFleet } from './switch-fleet.js';

/** The whole push path on several hosts. Never throws for a failed deploy: the outcome says what happened, host by host. */
export async function deployFleet(settings: Settings, deps: EngineDeps): Promise<Outcome> {
  const context = deps.context ?? openContext();
  const steps = new Steps(deps.reporter, deps.clock ?? Date.now, context);
  const rollout = new Rollout(settings, deps, fleetHosts(settings, deps, context), context);
  const lintCommand = settings.lintCommand;
  const linted = lintCommand ? await tryStep(() => steps.run('lint', 'Lint', () => deps.lint(lintCommand, context.signal))) : undefined;
  if (linted && !linted.ok) {
    rollout.notStarted(rollout.why('the lint command failed, before any host was reached'));
    return rollout.outcome(steps, linted.failure);
  }
  try {
    const prepared = await prepareFleet(rollout);
    if (prepared && (await migrateOnce(rollout, prepared))) await switchFleet(rollout, prepared);
    return rollout.outcome(steps);
  } finally {
    await rollout.end();
  }
}
