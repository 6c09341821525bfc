/**
 * Runs jobs on cron schedules (croner, with the dialect config validation uses). One timer per
 * distinct schedule, however many jobs share it (croner keeps a 10,000-entry year table per
 * pattern: 200 checks on one schedule are one timer, not 200). A tick while the same job still
 * runs is skipped and logged; a job's error is logged, never thrown into the timer.
 * With shared storage, each tick is first claimed, so of several servers exactly one runs it.
 */
import { Cron } from 'croner';
import { cronOptions, previousOccurrence } from '../../core/backup/schedule.js';
import { describeError } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import { BusyError } from '../server-errors.js';

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

/**
 * Claims a tick; when the storage cannot be asked (PostgreSQL restarting) the tick runs here anyway:
 * a check run twice by two servers is better than none while the database is away.
 */
async function tryClaim(claimer: TickClaimer, key: string, tick: Date, logger: Logger): Promise<boolean> {
  try {
    return await claimer.claim(key, tick);
  } catch (error) {
    logger.warn(`${key}: could not claim tick ${tick.toISOString()} (${describeError(error)}); running it here`);
    return true;
  }
}

export function scheduleJobs(jobs: readonly CronJob[], logger: Logger, claimer: TickClaimer = soloClaimer): Scheduled {
  const running = new Set<string>();

  async function runTick(job: CronJob, tick: Date): Promise<void> {
    if (running.has(job.key)) return logger.warn(`${job.key}: skipped a tick: the previous run is still going`);
    running.add(job.key);
    try {
      if (!(await tryClaim(claimer, job.key, tick, logger))) {
        logger.debug(`${job.key}: tick ${tick.toISOString()} runs on another server`);
        return;
      }
      await job.run(tick);
    } catch (error) {
      // Busy: the same job runs already (started through the API): this tick is skipped, not failed.
      if (error instanceof BusyError) logger.warn(`${job.key}: skipped a tick: ${error.message}`);
      else logger.error(`${job.key}: ${describeError(error)}`);
    } finally {
      running.delete(job.key);
    }
  }

  const groups = new Map<string, CronJob[]>();
  for (const job of jobs) {
    const key = `${job.schedule}\u0000${job.timezone ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), job]);
  }
  const crons = [...groups.values()].map((group) => {
    const { schedule, timezone } = group[0] as CronJob;
    return new Cron(schedule, { ...cronOptions(timezone), paused: false }, () => {
      // The timer fires at or just after the scheduled time, never before: the tick is the latest one
      // due, the same on every server, so claims are keyed alike everywhere.
      const tick = previousOccurrence(schedule, timezone, new Date());
      if (!tick) return logger.error(`'${schedule}' fired with no scheduled time before now`);
      for (const job of group) void runTick(job, tick);
    });
  });
  return {
    stop: () => {
      for (const cron of crons) cron.stop();
    },
  };
}
