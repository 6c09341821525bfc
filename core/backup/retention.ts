/** Which backups retention removes. Pure: catalog entries and a clock in, names out. */

export interface GoodBackup {
  readonly id: string;
  readonly startedAt: string;
}

export interface RetentionPolicy {
  readonly keepDays: number;
  readonly keepMin: number;
}

const DAY_MS = 86_400_000;

/**
 * Backups older than keepDays, except that the newest keepMin (and always the newest one)
 * stay whatever their age: retention never leaves a database without a recent good backup.
 */
export function backupsToRemove(good: readonly GoodBackup[], policy: RetentionPolicy, now: Date): GoodBackup[] {
  const newestFirst = [...good].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  const protectedCount = Math.max(1, policy.keepMin);
  const cutoff = now.getTime() - policy.keepDays * DAY_MS;
  return newestFirst.slice(protectedCount).filter((b) => Date.parse(b.startedAt) < cutoff);
}
