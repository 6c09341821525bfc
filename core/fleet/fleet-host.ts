/** A host of a run on several: its settings, its share of the log, its own steps; its session once connected. */
import type { AppSession } from '../engine/app-session.js';
import { connectStep, openSession } from '../engine/app-session.js';
import { type StepResult, tryStep } from '../engine/deploy/attempt.js';
import type { EngineDeps } from '../engine/engine-deps.js';
import { type HostOutcome, type HostStatus, hostOutcomeOf, type Outcome, stepsTime } from '../engine/outcome.js';
import { Steps } from '../engine/steps.js';
import type { StepName } from '../release/release.js';
import type { RunContext } from '../run-context.js';
import { settingsOn } from '../settings/host-targets.js';
import type { HostTarget, Settings } from '../settings/settings.js';
import { HostLog } from './host-log.js';

export interface FleetHost {
  readonly label: string;
  /** The run's settings as a run on this host alone would have them. */
  readonly settings: Settings;
  readonly log: HostLog;
  /** The engine's dependencies, writing to this host's log, under the whole run's context. */
  readonly deps: EngineDeps & { readonly context: RunContext };
  /** This host's steps: its release records them, its summary row adds them up. */
  readonly steps: Steps;
}

export interface ConnectedHost extends FleetHost {
  readonly session: AppSession;
}

/** Every host of the run, in the order given. The run's context goes to each: its cancel stops every host's work. */
export function fleetHosts(settings: Settings, deps: EngineDeps, context: RunContext): FleetHost[] {
  return settings.hosts.map((target: HostTarget) => {
    const log = new HostLog(target.label, deps.reporter);
    const hostDeps = { ...deps, reporter: log.reporter, context };
    return {
      label: target.label,
      settings: settingsOn(settings, target),
      log,
      deps: hostDeps,
      steps: new Steps(log.reporter, deps.clock ?? Date.now, context),
    };
  });
}

/**
 * Runs `work` on the hosts at once. Each host's lines are one group `label: title`: shown as they
 * come when it works alone, else held and shown host by host in their order once all are done.
 */
export async function onEach<H extends FleetHost, R>(hosts: readonly H[], title: string, work: (host: H) => Promise<R>): Promise<R[]> {
  const [alone, ...others] = hosts;
  if (alone && others.length === 0) return [await alone.log.live(title, () => work(alone))];
  for (const host of hosts) host.log.hold();
  try {
    return await Promise.all(hosts.map(work));
  } finally {
    for (const host of hosts) await host.log.show(title);
  }
}

/** Connects to the host (verifying its key on its own) and opens the app there. */
export function connectHost(host: FleetHost): Promise<StepResult<ConnectedHost>> {
  return tryStep(async () => {
    const executor = await connectStep(host.settings, host.deps, host.steps);
    return { ...host, session: openSession(executor, host.settings, host.deps, host.deps.context) };
  });
}

/** The host's row, from what its own run ended with. */
export function hostRow(host: FleetHost, outcome: Outcome, status: HostStatus = outcome.status): HostOutcome {
  return hostOutcomeOf(host.label, outcome, status);
}

/** The row of a host the run ended on before it recorded a release there. */
export function rowBeforeRelease(host: FleetHost, status: HostStatus, error: string, failedStep?: StepName): HostOutcome {
  return { host: host.label, status, release: undefined, commit: undefined, failedStep, error, durationMs: stepsTime(host.steps.records) };
}

/** Each host's warnings, named by the host. */
export function hostWarnings(hosts: readonly FleetHost[]): string[] {
  return hosts.flatMap((host) => host.steps.warnings.map((warning) => `${host.label}: ${warning}`));
}
