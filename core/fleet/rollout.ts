/**
 * What a deploy on several hosts did so far: each host's row, the hosts it reached and locked (released
 * at the end), and, once the run is stopped, the clean-up's grace its remaining work runs under.
 */
import { connectionLost, lostConnection } from '../engine/deploy/connection-lost.js';
import { STOP_GRACE_MS } from '../engine/deploy/stopped.js';
import type { EngineDeps } from '../engine/engine-deps.js';
import type { HostOutcome, Outcome } from '../engine/outcome.js';
import type { StepError, Steps } from '../engine/steps.js';
import { graceContext, type RunContext, stopMessage, stopReason } from '../run-context.js';
import type { Settings } from '../settings/settings.js';
import { agreed, fleetOutcome } from './fleet-outcome.js';
import { type ConnectedHost, type FleetHost, hostRow, hostWarnings, onEach, rowBeforeRelease } from './fleet-host.js';
import { type Abandoned, abandonHost, type LockedHost, underGrace } from './host-deploy.js';

export class Rollout {
  readonly connected: ConnectedHost[] = [];
  readonly locked: LockedHost[] = [];
  private readonly rows = new Map<string, HostOutcome>();
  private grace: RunContext | undefined;

  constructor(
    readonly settings: Settings,
    readonly deps: EngineDeps,
    readonly hosts: readonly FleetHost[],
    private readonly context: RunContext,
  ) {}

  /** Whether the run was stopped (cancelled, or past its deadline). */
  get stopped(): boolean {
    return stopReason(this.context) !== undefined;
  }

  /** Why hosts not yet changed will not be: the stop, when the run was stopped, else `failure`. */
  why(failure: string): string {
    return this.stopped ? stopMessage(this.context).replace(/\.$/, '') : failure;
  }

  /** The host as the remaining work reaches it: under the clean-up's grace once the run was stopped. */
  view(host: LockedHost): LockedHost {
    if (!this.stopped) return host;
    this.grace ??= graceContext(this.context, STOP_GRACE_MS);
    return underGrace(host, this.grace);
  }

  /** How a host whose own step failed ends: cancelled when the run was cancelled there, else failed. */
  endFor(failure: StepError): Abandoned {
    if (stopReason(this.context) !== 'cancelled') return { state: 'failed', failure };
    const error = `${stopMessage(this.context)} It was in the ${failure.step} step; nothing had changed on this host.`;
    return { state: 'cancelled', error, step: failure.step };
  }

  setFrom(host: FleetHost, outcome: Outcome, status = outcome.status): void {
    this.rows.set(host.label, hostRow(host, outcome, status));
  }

  /** The row of a host that failed before it recorded a release. */
  fail(host: FleetHost, failure: StepError): void {
    const end = this.endFor(failure);
    this.rows.set(host.label, rowBeforeRelease(host, end.state, end.state === 'failed' ? failure.message : end.error, failure.step));
  }

  /** Every host without a row yet ends cancelled: the run stopped before it was changed. */
  notStarted(reason: string): void {
    for (const host of this.hosts) {
      if (!this.rows.has(host.label)) this.rows.set(host.label, rowBeforeRelease(host, 'cancelled', `Not started: ${reason}.`));
    }
  }

  /**
   * Ends hosts that hold their lock but will not switch, each in its own way (`end`), putting each back
   * as it was; a host whose connection dropped is left alone (nothing can be done over it). Each host's
   * lines go in a group `label: not started`, or, while preparing, in the host's prepare group.
   */
  async abandon(hosts: readonly LockedHost[], end: (host: LockedHost) => Abandoned, staged: boolean, preparing = false): Promise<void> {
    const reachable = hosts.filter((host) => {
      const ended = end(host);
      if (ended.state === 'failed' && lostConnection(ended.failure)) {
        this.setFrom(host, connectionLost(ended.failure, host.attempt, host.steps, host.deps));
        return false;
      }
      return true;
    });
    const work = async (host: LockedHost) => ({ host, outcome: await abandonHost(this.view(host), end(host), staged) });
    const ended = preparing ? await Promise.all(reachable.map(work)) : await onEach(reachable, 'not started', work);
    for (const { host, outcome } of ended) this.setFrom(host, outcome);
  }

  outcome(steps: Steps, failure?: StepError): Outcome {
    const rows = this.hosts.map((host) => this.rows.get(host.label)).filter((row) => row !== undefined);
    const before = this.locked.map((host) => host.attempt.before.commit);
    const outcome = fleetOutcome(rows, steps, {
      failure,
      previousRef: before.length === this.hosts.length ? agreed(before) : undefined,
      warnings: hostWarnings(this.hosts),
    });
    // A run whose every host had succeeded when the cancel came succeeded, as on one host.
    const cancelled = stopReason(this.context) === 'cancelled' && outcome.status !== 'succeeded';
    return cancelled ? { ...outcome, status: 'cancelled' } : outcome;
  }

  /** Releases every lock and closes every connection. */
  async end(): Promise<void> {
    await Promise.all(this.locked.map((host) => host.attempt.unlock()));
    await Promise.all(this.connected.map((host) => host.session.executor.close()));
  }
}
