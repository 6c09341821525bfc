/**
 * A run's record: named, timed steps (each in its own log group; a failure remembers its step), and
 * the warnings of work outside the steps that must not change the run's result.
 */
import { BerthError, describeError } from '../errors.js';
import type { StepName, StepRecord } from '../release/release.js';
import { type RunContext, throwIfCancelled } from '../run-context.js';
import type { Reporter } from './reporter.js';

/** An error that remembers the step it failed in. */
export class StepError extends BerthError {
  override readonly name = 'StepError';
  constructor(
    readonly step: StepName,
    override readonly cause: unknown,
  ) {
    super(describeError(cause));
  }
}

/** The error as a StepError: its own step when it has one, else `step`. */
export function stepErrorOf(error: unknown, step: StepName): StepError {
  return error instanceof StepError ? error : new StepError(step, error);
}

/** Runs steps with timing and records each result. */
export class Steps {
  constructor(
    private readonly reporter: Reporter,
    private readonly clock: () => number,
    private readonly context: RunContext,
    readonly records: StepRecord[] = [],
    readonly warnings: string[] = [],
  ) {}

  /** The same record, its next steps run under another context: a stopped run's clean-up has its own grace. */
  under(context: RunContext): Steps {
    return new Steps(this.reporter, this.clock, context, this.records, this.warnings);
  }

  /** Renames the last record of step `from`: what a step was doing is sometimes known only after it stopped. */
  relabel(from: StepName, to: StepName): void {
    const index = this.records.findLastIndex((r) => r.name === from);
    const record = this.records[index];
    if (record) this.records[index] = { ...record, name: to };
  }

  async run<T>(name: StepName, title: string, fn: () => Promise<T>): Promise<T> {
    const started = this.clock();
    try {
      throwIfCancelled(this.context, `the ${name} step`);
      const value = await this.reporter.group(title, fn);
      this.records.push({ name, result: 'succeeded', durationMs: this.clock() - started });
      return value;
    } catch (error) {
      const failed = stepErrorOf(error, name);
      this.records.push({ name: failed.step, result: 'failed', durationMs: this.clock() - started });
      throw failed;
    }
  }

  /**
   * Runs bookkeeping whose failure must not change the run's result (recording a release, tagging
   * kept images): a failure becomes a warning, and the result is undefined.
   */
  async bestEffort<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (error) {
      const warning = `Could not ${what}: ${describeError(error)}`;
      this.warnings.push(warning);
      this.reporter.logger.warn(warning);
      return undefined;
    }
  }
}
