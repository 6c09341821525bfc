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
  // Alerts (server/alerts): the outbox, one row per alert and one per (alert, channel) delivery.
  `CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    alert_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    status TEXT NOT NULL,
    status_reason TEXT,
    event TEXT NOT NULL,
    context TEXT NOT NULL,
    created_at TEXT NOT NULL
  )`,
  'CREATE INDEX alerts_created ON alerts (created_at)',
  'CREATE INDEX alerts_kind_subject ON alerts (kind, subject, created_at)',
  `CREATE TABLE alert_deliveries (
    id TEXT PRIMARY KEY,
    alert_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_at TEXT NOT NULL,
    last_error TEXT,
    last_attempt_at TEXT,
    delivered_at TEXT,
    created_at TEXT NOT NULL
  )`,
  'CREATE INDEX alert_deliveries_due ON alert_deliveries (channel, state, next_at)',
  'CREATE INDEX alert_deliveries_alert ON alert_deliveries (alert_id)',
  // Each check's health as alerts last announced it: the state change that moves it is announced once.
  `CREATE TABLE alert_states (
    subject TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    alert_key TEXT NOT NULL,
    changed_at TEXT NOT NULL
  )`,
  // GitHub webhooks (server/webhooks): delivery ids seen, and deployment statuses as each environment's history.
  `CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    event TEXT NOT NULL,
    action TEXT,
    received_at TEXT NOT NULL
  )`,
  'CREATE INDEX webhook_deliveries_received ON webhook_deliveries (received_at)',
  `CREATE TABLE deployment_statuses (
    status_id BIGINT PRIMARY KEY,
    deployment_id BIGINT NOT NULL,
    repository TEXT NOT NULL,
    environment TEXT NOT NULL,
    state TEXT NOT NULL,
    sha TEXT NOT NULL,
    ref TEXT NOT NULL,
    description TEXT,
    creator TEXT,
    log_url TEXT,
    environment_url TEXT,
    created_at TEXT NOT NULL,
    received_at TEXT NOT NULL
  )`,
  'CREATE INDEX deployment_statuses_deployment ON deployment_statuses (deployment_id, status_id)',
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
