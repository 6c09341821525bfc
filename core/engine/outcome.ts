/** What a command's run ended with: the action's outputs and summary and the CLI's report are made from it. */
import type { servicesSummary } from '../health/containers.js';
import type { Release, StepName, StepRecord } from '../release/release.js';

export type DeployStatus = 'succeeded' | 'failed' | 'rolled_back';

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
}

export type OutcomeFields = Partial<Outcome> & Pick<Outcome, 'status'>;

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
    ...fields,
  };
}
