/** Cron schedules: validation and the most recent due time, to tell a stale backup from a fresh one. */
import { parse, validateDetailed } from 'node-cron';

/** Null when valid, else what is wrong (the failing field). */
export function cronProblem(expression: string): string | null {
  const result = validateDetailed(expression);
  if (result.valid) return null;
  return result.errors.map((e) => `${e.field ?? 'expression'}: ${e.message}`).join('; ') || 'invalid cron expression';
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

/** The wall-clock fields of a moment in a zone. */
function wallClock(format: Intl.DateTimeFormat, at: Date): { minute: number; hour: number; day: number; month: number; weekday: number } {
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(at)) parts[part.type] = part.value;
  const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  return {
    minute: Number(parts.minute),
    hour: Number(parts.hour) % 24,
    day: Number(parts.day),
    month: Number(parts.month),
    weekday: weekdays.indexOf(parts.weekday ?? ''),
  };
}

/** The latest minute at or before `at` that the schedule names, within a year; undefined if none. */
export function previousOccurrence(expression: string, timezone: string | undefined, at: Date): Date | undefined {
  const fields = parse(expression);
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone ?? 'UTC',
    hourCycle: 'h23',
    minute: 'numeric',
    hour: 'numeric',
    day: 'numeric',
    month: 'numeric',
    weekday: 'short',
  });
  let t = Math.floor(at.getTime() / 60_000) * 60_000;
  for (let i = 0; i < 366 * 1440; i++, t -= 60_000) {
    const w = wallClock(format, new Date(t));
    if (
      fields.minute.includes(w.minute) &&
      fields.hour.includes(w.hour) &&
      fields.dayOfMonth.includes(w.day) &&
      fields.month.includes(w.month) &&
      fields.dayOfWeek.includes(w.weekday)
    ) {
      return new Date(t);
    }
  }
  return undefined;
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
