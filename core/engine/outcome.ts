/** What a command's run ended with: the action's outputs and summary and the CLI's report are made from it. */
import type { servicesSummary } from '../health/containers.js';
import type { Release, StepName, StepRecord } from '../release/release.js';

/**
 * `succeeded`: the command did what was asked. `rolled_back`: a deploy failed and the previous
 * release was put back (the run still failed). `failed`: it did not do what was asked.
 * `cancelled`: the run was stopped (GitHub's cancel, Ctrl-C); the old version serves, untouched or
 * rolled back to. `superseded`: a push deploy skipped itself because a newer commit went live while
 * it waited for the lock (nothing to do, so not a failure).
 */
export type DeployStatus = 'succeeded' | 'failed' | 'rolled_back' | 'cancelled' | 'superseded';

export interface Outcome {
  readonly status: DeployStatus;
  readonly release: Release | undefined;
  readonly failedStep: StepName | undefined;
  readonly error: string | undefined;
  readonly deployedRef: string | undefined;
  readonly previousRef: string | undefined;
  readonly services: ReturnType<typeof servicesSummary>;
  readonly steps: readonly StepRecord[];
  readonly healthyAfterMs: number | undefined;
  /**
   * What a rollback put back: the commit it replaced, the commit it restored, and whether kept images
   * served it or it was rebuilt. Set by the rollback command, and by a deploy that was rolled back.
   */
  readonly rollback: RollbackSummary | undefined;
  /** `status`: the commit checked out, when it is not what runs (a build in progress, or a run that was killed). */
  readonly checkedOut: string | undefined;
  /** `status`: the most recent releases, newest first. */
  readonly history: readonly Release[];
  /** What went wrong without changing the result (bookkeeping after the app was healthy, a record not written). */
  readonly warnings: readonly string[];
  /** `superseded`: the newer commit that went live while this deploy waited. */
  readonly supersededBy: string | undefined;
  /** Each host's part of the run, in the order given (one row when the run had one host). */
  readonly hosts: readonly HostOutcome[];
}

/**
 * A host's part, as for a run; on several hosts `cancelled` also says the run stopped before this
 * host switched (another host failed first), so nothing changed on it.
 */
export type HostStatus = DeployStatus;

/** One host's row: the `hosts` output and the job summary. */
export interface HostOutcome {
  readonly host: string;
  readonly status: HostStatus;
  /** This run's release on the host, when one was recorded. */
  readonly release: string | undefined;
  /** The commit the host runs at the end, when known. */
  readonly commit: string | undefined;
  readonly failedStep: StepName | undefined;
  readonly error: string | undefined;
  /** The time the host's steps took. */
  readonly durationMs: number;
}

export interface RollbackSummary {
  readonly from: string | undefined;
  readonly to: string;
  readonly images: 'kept' | 'rebuilt';
}

export type OutcomeFields = Partial<Outcome> & Pick<Outcome, 'status'>;

/** The time steps took, together. */
export function stepsTime(steps: readonly { readonly durationMs: number }[]): number {
  return steps.reduce((sum, step) => sum + step.durationMs, 0);
}

/** A host's row from what its run ended with; the time is that of the run's steps. */
export function hostOutcomeOf(host: string, outcome: Outcome, status: HostStatus = outcome.status): HostOutcome {
  return {
    host,
    status,
    release: outcome.release?.id,
    commit: outcome.deployedRef,
    failedStep: outcome.failedStep,
    error: outcome.error,
    durationMs: stepsTime(outcome.steps),
  };
}

/** An Outcome with every field not given left empty. */
export function outcomeOf(fields: OutcomeFields): Outcome {
  return {
    release: undefined,
    failedStep: undefined,
    error: undefined,
    deployedRef: undefined,
    previousRef: undefined,
    services: {},
    steps: [],
    healthyAfterMs: undefined,
    supersededBy: undefined,
    rollback: undefined,
    checkedOut: undefined,
    history: [],
    warnings: [],
    hosts: [],
    ...fields,
  };
}

/**
 * The one rule for "did this command succeed": the action's step result and annotations, the CLI's
 * exit code and the GitHub Deployment's state all ask this, so they cannot disagree.
 */
export function commandSucceeded(outcome: Pick<Outcome, 'status'>): boolean {
  return outcome.status === 'succeeded' || outcome.status === 'superseded';
}
