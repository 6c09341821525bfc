/**
 * Runs jobs on cron schedules (croner, with the dialect config validation uses). A tick while the
 * same job still runs is skipped and logged; a job's error is logged, never thrown into the timer.
 * With shared storage, each tick is first claimed, so of several servers exactly one runs it.
 */
import { Cron } from 'croner';
import { cronOptions, previousOccurrence } from '../../core/backup/schedule.js';
import { describeError } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';

export interface CronJob {
  /** Unique among jobs: `backup:app`, `check:web`. */
  readonly key: string;
  readonly schedule: string;
  readonly timezone?: string | undefined;
  run(tick: Date): Promise<void>;
}

/** Decides which server runs a tick: true for exactly one caller per (job, tick). */
export interface TickClaimer {
  claim(job: string, tick: Date): Promise<boolean>;
}

/** Every tick is ours: one server, nothing shared. */
export const soloClaimer: TickClaimer = { claim: async () => true };

export interface Scheduled {
  stop(): void;
}

export function scheduleJobs(jobs: readonly CronJob[], logger: Logger, claimer: TickClaimer = soloClaimer): Scheduled {
  const crons = jobs.map((job) => {
    const options = {
      ...cronOptions(job.timezone),
      paused: false,
      protect: () => logger.warn(`${job.key}: skipped a tick: the previous run is still going`),
      catch: (error: unknown) => logger.error(`${job.key}: ${describeError(error)}`),
    };
    return new Cron(job.schedule, options, async () => {
      // The timer fires at or just after the scheduled time, never before: the tick is the latest one due.
      const tick = previousOccurrence(job.schedule, job.timezone, new Date()) ?? new Date();
      if (!(await claimer.claim(job.key, tick))) {
        logger.debug(`${job.key}: tick ${tick.toISOString()} runs on another server`);
        return;
      }
      await job.run(tick);
    });
  });
  return {
    stop: () => {
      for (const cron of crons) cron.stop();
    },
  };
}
