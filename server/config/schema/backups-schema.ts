/** `backups:` — what is dumped, when, where to, and how long it is kept. */
import { z } from 'zod';
import type { BackupConfig } from '../server-config.js';
import { SERVER_DEFAULTS } from '../server-config.js';
import { cron, integer, list, name, postgresUrl, section, text, timezone } from './primitives.js';

const composeSource = section(
  {
    path: text.describe('the Compose project folder on this host'),
    service: text.describe('the database service'),
    database: text,
    user: text,
  },
  'pg_dump inside the database container, through docker compose exec',
);

const backup = section({
  name: name.describe('names the files: <name>_<YYYYmmdd-HHMMSS>.sql.gz'),
  'database-url': postgresUrl('postgres://user:pass@host:5432/db; pg_dump connects directly').optional(),
  compose: composeSource.optional(),
  schedule: cron(SERVER_DEFAULTS.schedule, 'cron; default daily at 06:00'),
  timezone,
  dir: text.optional().describe('default ./data/backups/<name>'),
  'keep-days': integer(0, 36_500, SERVER_DEFAULTS.keepDays).describe('remove backups older than this many days'),
  'keep-min': integer(1, 10_000, SERVER_DEFAULTS.keepMin).describe('but always keep this many of the newest'),
})
  .superRefine((b, ctx) => {
    if (b['database-url'] && b.compose) ctx.addIssue({ code: 'custom', message: 'give database-url or compose, not both' });
    if (!b['database-url'] && !b.compose)
      ctx.addIssue({ code: 'custom', message: 'needs database-url or compose: { path, service, database, user }' });
  })
  .transform((b): BackupConfig => ({
    name: b.name,
    source: b.compose ? { kind: 'compose', ...b.compose } : { kind: 'url', url: b['database-url'] ?? '' },
    schedule: b.schedule,
    timezone: b.timezone,
    dir: b.dir ?? `./data/backups/${b.name}`,
    keepDays: b['keep-days'],
    keepMin: b['keep-min'],
  }));

export const backupsSchema = list(backup, 'PostgreSQL databases to back up on a schedule').default([]);

export type BackupInput = z.input<typeof backup>;
