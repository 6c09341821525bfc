/** A run on several hosts as one Outcome: the whole run's status from the hosts' rows, and those rows. */
import { type DeployStatus, type HostOutcome, type Outcome, outcomeOf } from '../engine/outcome.js';
import type { StepError, Steps } from '../engine/steps.js';

/**
 * `succeeded` when every host succeeded; `superseded` when a push deploy skipped itself (superseded
 * on a host, not started on the others); `rolled_back` when a host failed and every host changed in
 * this run went back (the others were never changed), so the fleet runs what it ran before;
 * otherwise `failed`. (A cancelled run is `cancelled`, unless every host had succeeded when the cancel came.)
 */
export function fleetStatus(rows: readonly HostOutcome[]): DeployStatus {
  const all = (...statuses: DeployStatus[]): boolean => rows.length > 0 && rows.every((row) => statuses.includes(row.status));
  if (all('succeeded')) return 'succeeded';
  if (rows.some((row) => row.status === 'superseded') && all('superseded', 'cancelled')) return 'superseded';
  return rows.some((row) => row.status === 'rolled_back') && all('rolled_back', 'cancelled') ? 'rolled_back' : 'failed';
}

export interface FleetFields {
  /** A failure before any host was reached (lint). */
  readonly failure?: StepError | undefined;
  readonly previousRef?: string | undefined;
  /** The hosts' warnings, named by host. */
  readonly warnings?: readonly string[];
}

/**
 * The run's Outcome: the first host that failed names the failed step and the error (prefixed with
 * the host); `deployed-ref` is the commit every host runs, when they agree.
 */
export function fleetOutcome(rows: readonly HostOutcome[], steps: Steps, { failure, previousRef, warnings = [] }: FleetFields): Outcome {
  // A host whose take-back failed only follows the host that failed first.
  const cause =
    rows.find((row) => row.failedStep !== undefined && row.failedStep !== 'rollback') ?? rows.find((row) => row.failedStep !== undefined);
  return outcomeOf({
    status: failure ? 'failed' : fleetStatus(rows),
    failedStep: failure?.step ?? cause?.failedStep,
    error: failure?.message ?? (cause ? `${cause.host}: ${cause.error ?? 'failed'}` : undefined),
    deployedRef: agreed(rows.map((row) => row.commit)),
    previousRef,
    steps: steps.records,
    warnings: [...steps.warnings, ...warnings],
    hosts: rows,
  });
}

/** The value every item has, or undefined when they differ or one is missing. */
export function agreed(values: readonly (string | undefined)[]): string | undefined {
  const [first] = values;
  return first !== undefined && values.every((value) => value === first) ? first : undefined;
}
