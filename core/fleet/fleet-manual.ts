/**
 * The manual commands on several hosts: each host runs the command as a run on it alone would, its
 * lines prefixed and grouped by host. `status` and `logs` read every host at once. `rollback` and
 * `restart` change what runs, so every host is reached and checked first (named services, a
 * rollback's target, no two naming one checkout; one that cannot be reached or fails its check
 * changes nothing anywhere); then hosts go `parallel` at a time in the order given, and the first
 * that fails stops the run: no new batch starts. A host that rolled back stays rolled back: a
 * rollback is asked for because what ran is wrong, and undoing it would bring that back.
 */
import { type AppSession, openSession } from '../engine/app-session.js';
import { checkInputs } from '../engine/check-inputs.js';
import type { EngineDeps } from '../engine/engine-deps.js';
import { MANUAL_COMMANDS } from '../engine/manual/commands.js';
import { checkRollbackTarget } from '../engine/manual/rollback.js';
import type { ManualCommand } from '../engine/manual/with-session.js';
import { type HostOutcome, type Outcome, type RollbackSummary } from '../engine/outcome.js';
import { type StepError, stepErrorOf, Steps } from '../engine/steps.js';
import type { Executor } from '../exec/executor.js';
import { openContext, stopReason } from '../run-context.js';
import type { Settings } from '../settings/settings.js';
import { inBatches } from './batches.js';
import { repeatedCheckouts } from './one-checkout.js';
import { agreed, fleetOutcome } from './fleet-outcome.js';
import { type FleetHost, fleetHosts, hostRow, hostWarnings, onEach, rowBeforeRelease } from './fleet-host.js';

type Command = (settings: Settings, deps: EngineDeps) => Promise<Outcome>;

/** Runs the manual command of `settings` on every host; the outcome has one row per host. */
export async function manualOnFleet(command: ManualCommand, settings: Settings, deps: EngineDeps): Promise<Outcome> {
  const context = deps.context ?? openContext();
  const steps = new Steps(deps.reporter, deps.clock ?? Date.now, context);
  const hosts = fleetHosts(settings, deps, context);
  const run = MANUAL_COMMANDS[command];
  const reading = command === 'status' || command === 'logs';
  const results = reading ? await readEach(command, run, hosts) : await changeEach(command, run, hosts, settings.parallel);
  const rows = hosts.map(
    (host) =>
      results.find((r) => r.host.label === host.label)?.row ?? rowBeforeRelease(host, 'cancelled', 'Not started: a host before it failed.'),
  );
  const outcomes = results.flatMap((r) => (r.outcome ? [r.outcome] : []));
  const outcome = fleetOutcome(rows, steps, { warnings: hostWarnings(hosts) });
  // Hosts read at once fail each on its own (one down, another unreachable): the error names every one.
  const failed = rows.filter((row) => row.status === 'failed');
  const error = reading && failed.length > 1 ? failed.map((row) => `${row.host}: ${row.error ?? 'failed'}`).join('\n') : outcome.error;
  return {
    ...outcome,
    error,
    status: stopReason(context) === 'cancelled' ? 'cancelled' : outcome.status,
    previousRef: agreed(outcomes.map((o) => o.previousRef)),
    rollback: outcomes.length === hosts.length ? sameRollback(outcomes) : undefined,
  };
}

interface HostResult {
  readonly host: FleetHost;
  readonly outcome?: Outcome;
  readonly row?: HostOutcome;
}

/** `status` or `logs`: every host at once. */
function readEach(command: ManualCommand, run: Command, hosts: readonly FleetHost[]): Promise<HostResult[]> {
  return onEach(hosts, command, async (host) => {
    const outcome = await run(host.settings, host.deps);
    return { host, outcome, row: hostRow(host, outcome) };
  });
}

/**
 * `rollback` or `restart`: connects to every host first, then runs the command `parallel` hosts at a
 * time; after a batch with a failure, no new batch starts.
 */
async function changeEach(command: ManualCommand, run: Command, hosts: readonly FleetHost[], parallel: number): Promise<HostResult[]> {
  const reached = await oneEach(await Promise.all(hosts.map((host) => reach(host, command))));
  const connected = reached.flatMap((r) => ('executor' in r ? [r] : []));
  if (connected.length < hosts.length) {
    await Promise.all(connected.map((r) => r.executor.close()));
    const why = reached.flatMap((r) => ('row' in r ? [whyNot(r.host, r.row)] : [])).join(', ');
    return reached.map((r) => ('row' in r ? r : { host: r.host, row: rowBeforeRelease(r.host, 'cancelled', `Not started: ${why}.`) }));
  }
  const done = await inBatches(
    connected,
    parallel,
    (batch) =>
      onEach(
        batch.map(({ host, executor }) => ({ ...host, executor })),
        command,
        async (host) => {
          const outcome = await run(host.settings, { ...host.deps, connect: async () => host.executor });
          return { host, outcome, row: hostRow(host, outcome) };
        },
      ),
    (batch) => batch.every((r) => r.outcome.status === 'succeeded'),
  );
  // The hosts the run did not get to still hold an open connection.
  await Promise.all(connected.slice(done.length).map((r) => r.executor.close()));
  return done;
}

type Reached =
  | { readonly host: FleetHost; readonly executor: Executor; readonly session: AppSession }
  | { readonly host: FleetHost; readonly row: HostOutcome };

/** The hosts reached, a host whose checkout an earlier host names refused (it would be changed twice). */
async function oneEach(reached: readonly Reached[]): Promise<Reached[]> {
  const connected = reached.flatMap((r) => ('session' in r ? [{ ...r.host, session: r.session }] : []));
  const repeated = await repeatedCheckouts(connected);
  return Promise.all(
    reached.map(async (r) => {
      const twice = repeated.find(({ host }) => host.label === r.host.label);
      if (!twice || !('executor' in r)) return r;
      await r.executor.close();
      return refused(r.host, twice.failure);
    }),
  );
}

/**
 * Connects to a host (its key verified on its own) and checks there, changing nothing, what the
 * command checks before it changes anything: its connection, or its row when it cannot be reached or
 * fails a check.
 */
async function reach(host: FleetHost, command: ManualCommand): Promise<Reached> {
  let executor: Executor;
  try {
    executor = await host.deps.connect(host.settings.ssh);
  } catch (error) {
    return refused(host, stepErrorOf(error, 'connect'), 'Could not connect: ');
  }
  try {
    const session = openSession(executor, host.settings, host.deps, host.deps.context);
    await checkInputs(session.app, host.settings.app, host.steps, session.runtime);
    if (command === 'rollback') await checkRollbackTarget(session, host.settings, host.deps, host.steps);
    return { host, executor, session };
  } catch (error) {
    await executor.close();
    return refused(host, stepErrorOf(error, command));
  }
}

function refused(host: FleetHost, failed: StepError, prefix = ''): Reached {
  host.log.reporter.logger.error(`${prefix}${failed.message}`);
  return { host, row: rowBeforeRelease(host, 'failed', failed.message, failed.step) };
}

/** Why the other hosts were not changed, for a host that was refused. */
function whyNot(host: FleetHost, row: HostOutcome): string {
  return row.failedStep === 'connect' ? `${host.label} could not be reached` : `${host.label} failed in the ${row.failedStep} step`;
}

/** The rollback every host made, when they all went to the same commit. */
function sameRollback(outcomes: readonly Outcome[]): RollbackSummary | undefined {
  const to = agreed(outcomes.map((o) => o.rollback?.to));
  if (!to) return undefined;
  const images = outcomes.every((o) => o.rollback?.images === 'kept') ? 'kept' : 'rebuilt';
  return { from: agreed(outcomes.map((o) => o.rollback?.from)), to, images };
}
