/** The backup catalog: one row per run, with its outcome, file, size and sha256. */
import { SERVER_ID, serverGone } from '../server-id.js';
import type { Storage } from './storage.js';

export type BackupStatus = 'running' | 'succeeded' | 'failed';

export interface CatalogEntry {
  readonly id: string;
  readonly name: string;
  readonly status: BackupStatus;
  readonly trigger: 'schedule' | 'api';
  readonly file: string | null;
  readonly sizeBytes: number | null;
  readonly sha256: string | null;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly durationMs: number | null;
  readonly error: string | null;
  /** When retention removed the file. */
  readonly removedAt: string | null;
}

type EntryRow = {
  id: string;
  name: string;
  status: BackupStatus;
  triggered_by: 'schedule' | 'api';
  file: string | null;
  size_bytes: number | string | null;
  sha256: string | null;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | string | null;
  error: string | null;
  removed_at: string | null;
  runner?: string | null;
};

const toNumber = (value: number | string | null): number | null => (value === null ? null : Number(value));

function fromRow(row: EntryRow): CatalogEntry {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    trigger: row.triggered_by,
    file: row.file,
    sizeBytes: toNumber(row.size_bytes),
    sha256: row.sha256,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: toNumber(row.duration_ms),
    error: row.error,
    removedAt: row.removed_at,
  };
}

export class BackupCatalog {
  constructor(private readonly storage: Storage) {}

  async start(id: string, name: string, trigger: CatalogEntry['trigger'], startedAt: string, runner = SERVER_ID): Promise<void> {
    await this.storage.run('INSERT INTO backups (id, name, status, triggered_by, started_at, runner) VALUES (?, ?, ?, ?, ?, ?)', [
      id,
      name,
      'running',
      trigger,
      startedAt,
      runner,
    ]);
  }

  async succeed(
    id: string,
    result: { file: string; sizeBytes: number; sha256: string; durationMs: number },
    finishedAt: string,
  ): Promise<void> {
    await this.storage.run(
      'UPDATE backups SET status = ?, file = ?, size_bytes = ?, sha256 = ?, duration_ms = ?, finished_at = ? WHERE id = ?',
      ['succeeded', result.file, result.sizeBytes, result.sha256, result.durationMs, finishedAt, id],
    );
  }

  async fail(id: string, error: string, durationMs: number, finishedAt: string): Promise<void> {
    await this.storage.run('UPDATE backups SET status = ?, error = ?, duration_ms = ?, finished_at = ? WHERE id = ?', [
      'failed',
      error,
      durationMs,
      finishedAt,
      id,
    ]);
  }

  async markRemoved(id: string, at: string): Promise<void> {
    await this.storage.run('UPDATE backups SET removed_at = ? WHERE id = ?', [at, id]);
  }

  /**
   * Runs left 'running' by a crash or shutdown are failed, so none stays running forever. With
   * shared storage only runs of servers that are gone: another server's running backup is its own.
   */
  async failInterrupted(at: string, gone: (runner: string | null) => boolean = serverGone): Promise<number> {
    const running = await this.storage.all<{ id: string; runner: string | null }>(
      "SELECT id, runner FROM backups WHERE status = 'running'",
    );
    const interrupted = running.filter((row) => gone(row.runner));
    for (const row of interrupted)
      await this.storage.run("UPDATE backups SET status = 'failed', error = ?, finished_at = ? WHERE id = ? AND status = 'running'", [
        'interrupted: the server stopped during the backup',
        at,
        row.id,
      ]);
    return interrupted.length;
  }

  async get(id: string): Promise<CatalogEntry | undefined> {
    const [row] = await this.storage.all<EntryRow>('SELECT * FROM backups WHERE id = ?', [id]);
    return row ? fromRow(row) : undefined;
  }

  /** Newest first; all backups or one name's. */
  async list(name?: string, limit = 200): Promise<CatalogEntry[]> {
    const rows = name
      ? await this.storage.all<EntryRow>('SELECT * FROM backups WHERE name = ? ORDER BY started_at DESC LIMIT ?', [name, limit])
      : await this.storage.all<EntryRow>('SELECT * FROM backups ORDER BY started_at DESC LIMIT ?', [limit]);
    return rows.map(fromRow);
  }

  /** Good backups whose file is still there, newest first. */
  async good(name: string): Promise<CatalogEntry[]> {
    const rows = await this.storage.all<EntryRow>(
      "SELECT * FROM backups WHERE name = ? AND status = 'succeeded' AND removed_at IS NULL ORDER BY started_at DESC",
      [name],
    );
    return rows.map(fromRow);
  }

  async byFile(file: string): Promise<CatalogEntry | undefined> {
    const [row] = await this.storage.all<EntryRow>(
      "SELECT * FROM backups WHERE file = ? AND status = 'succeeded' ORDER BY started_at DESC LIMIT 1",
      [file],
    );
    return row ? fromRow(row) : undefined;
  }
}
