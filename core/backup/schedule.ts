/**
 * Cron schedules through one library (croner) for validation, scheduling and the most recent due
 * time, so what the config accepts is exactly what runs and what freshness understands.
 */
import { Cron, type CronOptions } from 'croner';

/** Classic 5-field cron, or 6 with seconds first. `L`, `#` and nicknames (`@daily`) as croner reads them. */
export const CRON_MODE = '5-or-6-parts' as const;

/** Croner's options for berth's schedules: the one place the cron dialect is chosen. */
export function cronOptions(timezone: string | undefined): CronOptions {
  return { mode: CRON_MODE, paused: true, ...(timezone ? { timezone } : {}) };
}

/** Parsed schedules, kept: a pattern costs ~80 KB (croner's year table), and config holds few distinct ones. */
const parsed = new Map<string, Cron>();

function cronFor(expression: string, timezone: string | undefined): Cron {
  const key = `${expression}\u0000${timezone ?? ''}`;
  let cron = parsed.get(key);
  if (!cron) {
    if (parsed.size >= 1000) parsed.clear(); // a bound, never reached by a real config
    cron = new Cron(expression, cronOptions(timezone));
    parsed.set(key, cron);
  }
  return cron;
}

/** Null when valid, else what is wrong (croner's words, without its prefix). */
export function cronProblem(expression: string): string | null {
  let cron: Cron;
  try {
    cron = cronFor(expression, undefined);
  } catch (error) {
    const message = (error as Error).message.replace(/^CronPattern:\s*/, '');
    return /space separated parts/.test(message) ? 'expected 5 fields (minute hour day month weekday), or 6 with seconds first' : message;
  }
  // `0 0 30 2 *` parses but never comes: a schedule that never runs is a mistake, not a choice.
  return cron.nextRun() === null ? 'it never matches a date' : null;
}

/** Null when the zone is known to this Node's ICU, else the problem. */
export function timezoneProblem(zone: string): string | null {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return null;
  } catch {
    return `unknown time zone '${zone}'`;
  }
}

/** The latest time at or before `at` that the schedule names; undefined if none. */
export function previousOccurrence(expression: string, timezone: string | undefined, at: Date): Date | undefined {
  // previousRuns gives runs before its reference (and earlier in the reference's second): 1 ms later includes `at` itself.
  const [previous] = cronFor(expression, timezone).previousRuns(1, new Date(at.getTime() + 1));
  return previous && previous.getTime() <= at.getTime() ? previous : undefined;
}

export interface Freshness {
  readonly status: 'fresh' | 'stale' | 'never';
  readonly lastGoodAt: string | null;
  /** The scheduled run the newest good backup should be at least as recent as. */
  readonly expectedSince: string | null;
}

/** Runs that finish within this long after their scheduled time are on time. */
export const FRESHNESS_GRACE_MS = 60 * 60_000;

/** Stale when the newest good backup is older than the last scheduled run that should have finished by now. */
export function freshness(expression: string, timezone: string | undefined, lastGoodAt: string | undefined, now: Date): Freshness {
  const due = previousOccurrence(expression, timezone, new Date(now.getTime() - FRESHNESS_GRACE_MS));
  const expectedSince = due ? due.toISOString() : null;
  if (!lastGoodAt) return { status: 'never', lastGoodAt: null, expectedSince };
  const stale = due !== undefined && Date.parse(lastGoodAt) < due.getTime();
  return { status: stale ? 'stale' : 'fresh', lastGoodAt, expectedSince };
}
