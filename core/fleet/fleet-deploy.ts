/**
 * A deploy on several hosts. Lint runs once. Then every host is prepared before any switches: all
 * connect (each key verified on its own), lock one by one in a fixed order, and fetch, pull and build
 * at once; a host failing there changes nothing anywhere. Then hosts switch `parallel` at a time, in
 * the order given. The first host whose switch fails stops the rollout: no new batch starts, the
 * hosts never reached are put back as they were (their releases recorded `cancelled`), and with
 * `rollback-on-failure` the hosts already switched go back too, so the fleet ends on one version.
 */
import { type StepResult, tryStep } from '../engine/deploy/attempt.js';
import type { EngineDeps } from '../engine/engine-deps.js';
import type { HostOutcome, Outcome } from '../engine/outcome.js';
import type { StepError } from '../engine/steps.js';
import { Steps } from '../engine/steps.js';
import { openContext } from '../run-context.js';
import type { Settings } from '../settings/settings.js';
import { inBatches } from './batches.js';
import { agreed, fleetOutcome } from './fleet-outcome.js';
import {
  type ConnectedHost,
  connectHost,
  type FleetHost,
  fleetHosts,
  hostRow,
  hostWarnings,
  onEach,
  rowBeforeRelease,
} from './fleet-host.js';
import { abandonHost, type LockedHost, lockHost, revertHost, stageHost, switchHost } from './host-deploy.js';

/** The whole push path on several hosts. Never throws for a failed deploy: the outcome says what happened, host by host. */
export async function deployFleet(settings: Settings, deps: EngineDeps): Promise<Outcome> {
  const context = deps.context ?? openContext();
  const steps = new Steps(deps.reporter, deps.clock ?? Date.now, context);
  const rollout = new Rollout(settings, deps, fleetHosts(settings, deps, context));
  const lintCommand = settings.lintCommand;
  const linted = lintCommand ? await tryStep(() => steps.run('lint', 'Lint', () => deps.lint(lintCommand, context.signal))) : undefined;
  if (linted && !linted.ok) {
    rollout.notStarted('the lint command failed, before any host was reached');
    return rollout.outcome(steps, linted.failure);
  }
  try {
    const prepared = await rollout.prepare();
    if (prepared) await rollout.switchAll(prepared);
    return rollout.outcome(steps);
  } finally {
    await rollout.end();
  }
}

interface Switched {
  readonly host: LockedHost;
  readonly outcome: Outcome;
}

/** What a rollout did so far on each host, and what it must release at the end. */
class Rollout {
  private readonly connected: ConnectedHost[] = [];
  private readonly locked: LockedHost[] = [];
  private readonly rows = new Map<string, HostOutcome>();

  constructor(
    private readonly settings: Settings,
    private readonly deps: EngineDeps,
    private readonly hosts: readonly FleetHost[],
  ) {}

  /** Every host prepared (connected, locked, staged), in the order given; undefined when one failed and all were put back. */
  async prepare(): Promise<LockedHost[] | undefined> {
    for (const host of this.hosts) host.log.hold();
    try {
      return (await this.connectAll()) && (await this.lockAll()) ? await this.stageAll() : undefined;
    } finally {
      for (const host of this.hosts) await host.log.show('prepare');
    }
  }

  /** Connects to every host at once; true when all could be reached. */
  private async connectAll(): Promise<boolean> {
    const results = await Promise.all(this.hosts.map(connectHost));
    this.connected.push(...results.flatMap((r) => (r.ok ? [r.value] : [])));
    return this.settle(this.hosts, results, 'could not be reached');
  }

  /**
   * Takes the hosts' locks one at a time, in the order of their names: two runs on the same hosts then
   * never each hold a lock the other waits for. True when every host was locked.
   */
  private async lockAll(): Promise<boolean> {
    // By code point, not locale: every machine must take them in the same order.
    const inOrder = [...this.connected].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
    for (const host of inOrder) {
      const locked = await lockHost(host);
      if (!locked.ok) {
        this.fail(host, locked.failure);
        await this.abandonAll(this.locked, `${host.label} failed in the ${locked.failure.step} step`, false);
        this.notStarted(`${host.label} failed in the ${locked.failure.step} step`);
        return false;
      }
      this.locked.push(locked.value);
    }
    return true;
  }

  /** Fetches, pulls and builds on every host at once; the hosts in the order given, or undefined when one failed. */
  private async stageAll(): Promise<LockedHost[] | undefined> {
    const given = this.hosts.map((host) => this.locked.find((l) => l.label === host.label)).filter((l) => l !== undefined);
    const results = await Promise.all(given.map(stageHost));
    const failed = results.findIndex((r) => !r.ok);
    if (failed < 0) return results.flatMap((r) => (r.ok ? [r.value] : []));
    const failure = results[failed];
    const reason = `${given[failed]?.label} failed in the ${failure && !failure.ok ? failure.failure.step : 'prepare'} step`;
    await Promise.all(
      given.map(async (host, index) => {
        const result = results[index];
        const end = result && !result.ok ? { state: 'failed' as const, failure: result.failure } : { state: 'cancelled' as const, reason };
        this.rows.set(host.label, hostRow(host, await abandonHost(host, end, true), end.state));
      }),
    );
    return undefined;
  }

  /** Switches the prepared hosts `parallel` at a time; when one fails, stops and puts the others back. */
  async switchAll(prepared: readonly LockedHost[]): Promise<void> {
    const switched = await inBatches(
      prepared,
      this.settings.parallel,
      (batch) => onEach(batch, 'switch', async (host) => ({ host, outcome: await switchHost(host) })),
      (batch) => batch.every(({ outcome }) => outcome.status === 'succeeded'),
    );
    for (const { host, outcome } of switched) this.rows.set(host.label, hostRow(host, outcome));
    const stop = switched.find(({ outcome }) => outcome.status !== 'succeeded');
    if (!stop) return;
    const reason = `${stop.host.label} failed in the ${stop.outcome.failedStep ?? 'switch'} step`;
    const log = this.deps.reporter.logger;
    log.error(`${reason}: the rollout stops there.`);
    await this.abandonAll(prepared.slice(switched.length), reason, true);
    if (!this.settings.rollbackOnFailure) return;
    const back = switched.filter(({ outcome }) => outcome.status === 'succeeded').reverse();
    if (back.length > 0)
      log.info(`Taking back ${back.map(({ host }) => host.label).join(', ')}, already switched, so every host runs one version.`);
    const reverted = await inBatches(
      back.map(({ host }) => host),
      this.settings.parallel,
      (batch) => onEach(batch, 'roll back', async (host) => ({ host, outcome: await this.revert(host, switched, reason) })),
      () => true,
    );
    for (const { host, outcome } of reverted) {
      if (outcome) this.rows.set(host.label, hostRow(host, outcome, outcome.status === 'rolled_back' ? 'rolled_back' : 'failed'));
    }
  }

  /** Takes back a host that switched; undefined (said in its log) when nothing ran there before. */
  private async revert(host: LockedHost, switched: readonly Switched[], reason: string): Promise<Outcome | undefined> {
    const outcome = switched.find((s) => s.host === host)?.outcome;
    const reverted = outcome && (await revertHost(host, outcome, reason));
    if (!reverted) host.log.reporter.logger.warn(`Nothing ran here before this run, so it keeps ${outcome?.deployedRef?.slice(0, 12)}.`);
    return reverted;
  }

  /** Records the hosts that hold their lock but will not switch as cancelled, putting each back as it was. */
  private async abandonAll(hosts: readonly LockedHost[], reason: string, staged: boolean): Promise<void> {
    const ended = await onEach(hosts, 'not started', async (host) => ({
      host,
      outcome: await abandonHost(host, { state: 'cancelled', reason }, staged),
    }));
    for (const { host, outcome } of ended) this.rows.set(host.label, hostRow(host, outcome, 'cancelled'));
  }

  /** Rows for the hosts of `results` that failed; when one did, every other host without a row is not started. */
  private settle<T>(hosts: readonly FleetHost[], results: readonly StepResult<T>[], what: string): boolean {
    const failed = hosts.filter((_, index) => results[index]?.ok === false);
    hosts.forEach((host, index) => {
      const result = results[index];
      if (result && !result.ok) this.fail(host, result.failure);
    });
    if (failed.length === 0) return true;
    this.notStarted(`${failed.map((host) => host.label).join(', ')} ${what}`);
    return false;
  }

  private fail(host: FleetHost, failure: StepError): void {
    this.rows.set(host.label, rowBeforeRelease(host, 'failed', failure.message, failure.step));
  }

  /** Every host without a row yet ends cancelled: the run stopped before it was changed. */
  notStarted(reason: string): void {
    for (const host of this.hosts) {
      if (!this.rows.has(host.label)) this.rows.set(host.label, rowBeforeRelease(host, 'cancelled', `Not started: ${reason}.`));
    }
  }

  outcome(steps: Steps, failure?: StepError): Outcome {
    const rows = this.hosts.map((host) => this.rows.get(host.label)).filter((row) => row !== undefined);
    const before = this.locked.map((host) => host.attempt.before.commit);
    return fleetOutcome(rows, steps, {
      failure,
      previousRef: before.length === this.hosts.length ? agreed(before) : undefined,
      warnings: hostWarnings(this.hosts),
    });
  }

  /** Releases every lock and closes every connection. */
  async end(): Promise<void> {
    await Promise.all(this.locked.map((host) => host.attempt.unlock()));
    await Promise.all(this.connected.map((host) => host.session.executor.close()));
  }
}
