/** Schema migrations, applied in order on start; SQL that SQLite and PostgreSQL both accept. */
import type { Storage } from './storage.js';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE backups (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    triggered_by TEXT NOT NULL,
    file TEXT,
    size_bytes BIGINT,
    sha256 TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    duration_ms BIGINT,
    error TEXT,
    removed_at TEXT
  )`,
  'CREATE INDEX backups_name_started ON backups (name, started_at)',
  `CREATE TABLE check_results (
    id TEXT PRIMARY KEY,
    check_name TEXT NOT NULL,
    at TEXT NOT NULL,
    ok INTEGER NOT NULL,
    latency_ms BIGINT NOT NULL,
    error TEXT,
    details TEXT
  )`,
  'CREATE INDEX check_results_name_at ON check_results (check_name, at)',
  `CREATE TABLE check_states (
    check_name TEXT PRIMARY KEY,
    health TEXT NOT NULL,
    since TEXT,
    failures_in_row INTEGER NOT NULL,
    successes_in_row INTEGER NOT NULL,
    failing_since TEXT,
    updated_at TEXT NOT NULL
  )`,
  `CREATE TABLE check_events (
    id TEXT PRIMARY KEY,
    check_name TEXT NOT NULL,
    at TEXT NOT NULL,
    from_health TEXT NOT NULL,
    to_health TEXT NOT NULL,
    since TEXT,
    error TEXT
  )`,
  'CREATE INDEX check_events_name_at ON check_events (check_name, at)',
  // One row per (job, scheduled time): the server whose insert wins runs the tick.
  `CREATE TABLE job_claims (
    job TEXT NOT NULL,
    tick TEXT NOT NULL,
    claimed_by TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    PRIMARY KEY (job, tick)
  )`,
  // Which server runs a backup, so a restarted server fails only its own interrupted runs, not a replica's.
  'ALTER TABLE backups ADD COLUMN runner TEXT',
];

export async function migrate(storage: Storage): Promise<void> {
  await storage.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  const done = new Set((await storage.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
  for (const [index, sql] of MIGRATIONS.entries()) {
    const version = index + 1;
    if (done.has(version)) continue;
    await storage.run(sql);
    await storage.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [version, new Date().toISOString()]);
  }
}
