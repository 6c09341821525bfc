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
