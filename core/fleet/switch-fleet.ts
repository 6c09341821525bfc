/**
 * The prepared hosts switch `parallel` at a time, in the order given. The first host whose switch
 * fails (or a stop of the run) ends the rollout: no new batch starts, the hosts never reached are put
 * back as they were, and with `rollback-on-failure` the hosts already switched go back too, so the
 * fleet ends on one version.
 */
import type { Outcome } from '../engine/outcome.js';
import { inBatches } from './batches.js';
import { onEach } from './fleet-host.js';
import { type LockedHost, revertHost, switchHost } from './host-deploy.js';
import type { Rollout } from './rollout.js';

interface Switched {
  readonly host: LockedHost;
  readonly outcome: Outcome;
}

export async function switchFleet(rollout: Rollout, prepared: readonly LockedHost[]): Promise<void> {
  const { settings } = rollout;
  const switched = await inBatches(
    prepared,
    settings.parallel,
    (batch) => onEach(batch, 'switch', async (host) => ({ host, outcome: await switchHost(host) })),
    (batch) => batch.every(({ outcome }) => outcome.status === 'succeeded') && !rollout.stopped,
  );
  for (const { host, outcome } of switched) rollout.setFrom(host, outcome);
  const stop = switched.find(({ outcome }) => outcome.status !== 'succeeded');
  // Every host switched and passed: the run succeeded, even when a stop came as the last one finished (as on one host).
  if (!stop && (!rollout.stopped || switched.length === prepared.length)) return;
  const why = rollout.why(`${stop?.host.label} failed in the ${stop?.outcome.failedStep ?? 'switch'} step`);
  const log = rollout.deps.reporter.logger;
  log.error(`${why}: the rollout stops there.`);
  // The hosts already switched go back first: that is what puts the fleet on one version, and after a
  // cancel the clean-up's grace may not last for both; the hosts never reached still run what they ran.
  await takeBack(rollout, switched, why);
  await rollout.abandon(prepared.slice(switched.length), () => ({ state: 'cancelled', error: `Not started: ${why}.` }), true);
}

/** With `rollback-on-failure`, the hosts that switched in this run go back, in reverse order, `parallel` at a time. */
async function takeBack(rollout: Rollout, switched: readonly Switched[], why: string): Promise<void> {
  const { settings } = rollout;
  if (!settings.rollbackOnFailure) return;
  const back = switched.filter(({ outcome }) => outcome.status === 'succeeded').reverse();
  if (back.length === 0) return;
  rollout.deps.reporter.logger.info(
    `Taking back ${back.map(({ host }) => host.label).join(', ')}, already switched, so every host runs one version.`,
  );
  await inBatches(
    back.map(({ host }) => host),
    settings.parallel,
    (batch) =>
      onEach(batch, 'roll back', (host) =>
        revert(
          rollout,
          back.find((s) => s.host === host),
          why,
        ),
      ),
    () => true,
  );
}

/** Takes back a host that switched; when nothing ran there before, it keeps the new version (said in its log). */
async function revert(rollout: Rollout, switched: Switched | undefined, why: string): Promise<void> {
  if (!switched) return;
  const { host, outcome } = switched;
  const reverted = await revertHost(rollout.view(host), outcome, why);
  if (reverted) rollout.setFrom(host, reverted, reverted.status === 'rolled_back' ? 'rolled_back' : 'failed');
  else host.log.reporter.logger.warn(`Nothing ran here before this run, so it keeps ${outcome.deployedRef?.slice(0, 12)}.`);
}
