/** The state one deploy carries from step to step, and how a step's failure is passed on as a value. */
import type { Release, Running } from '../../release/release.js';
import type { ReleaseStore } from '../../release/release-store.js';
import { StepError } from '../steps.js';

/** A deploy that holds the lock and has recorded its release. */
export interface Attempt {
  readonly store: ReleaseStore;
  /** Releases the lock; never rejects. */
  readonly unlock: () => Promise<void>;
  /** This run's release: in progress, with its commit once fetched. */
  readonly release: Release;
  /** The release history as it was before this run. */
  readonly history: readonly Release[];
  /** What ran before this run: what a failed deploy rolls back to. */
  readonly before: Running;
}

export type StepResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: StepError };

/** Runs steps and returns their failure as a value; anything but a StepError is a bug and is thrown. */
export async function tryStep<T>(fn: () => Promise<T>): Promise<StepResult<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    if (error instanceof StepError) return { ok: false, failure: error };
    throw error;
  }
}
