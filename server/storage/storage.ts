/**
 * The server's database: SQLite (node:sqlite, a file, no service) by default, PostgreSQL when
 * configured. One code path: SQL is written once with `?` placeholders; each driver adapts it.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { BerthError, describeError } from '../../core/errors.js';
import { redactUrlPasswords } from '../../core/redact.js';
import { type Logger, silentLogger } from '../../core/log.js';
import type { StorageConfig } from '../config/server-config.js';
import { migrate } from './migrations.js';

export type Row = Record<string, unknown>;
export type Param = string | number | null;

export interface Storage {
  readonly kind: 'sqlite' | 'postgres';
  all<T extends Row>(sql: string, params?: readonly Param[]): Promise<T[]>;
  /** Runs a statement; resolves with the number of rows it changed. */
  run(sql: string, params?: readonly Param[]): Promise<number>;
  /**
   * Runs `work` while no other server on this storage runs exclusive work under the same key
   * (a PostgreSQL advisory lock on one connection). SQLite has one process: it just runs.
   */
  exclusive<T>(key: number, work: (storage: Storage) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** How often an SQLite storage looks whether its file is still the one it opened. */
const FILE_CHECK_MS = 1_000;

class SqliteStorage implements Storage {
  readonly kind = 'sqlite';
  private readonly db: DatabaseSync;
  private readonly opened: { readonly dev: number; readonly ino: number };
  private checkedAt = 0;
  /** Set once the file was deleted or replaced: the open handle writes into a file no one will read again. */
  private lost: BerthError | undefined;
  constructor(private readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path);
    // WAL with synchronous=NORMAL (SQLite's advice for WAL): a commit survives the process dying, and
    // node:sqlite's synchronous calls no longer wait for an fsync each, which blocked the event loop.
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
    const { dev, ino } = statSync(path);
    this.opened = { dev, ino };
  }
  async all<T extends Row>(sql: string, params: readonly Param[] = []): Promise<T[]> {
    this.sameFile();
    return this.db.prepare(sql).all(...params) as T[];
  }
  async run(sql: string, params: readonly Param[] = []): Promise<number> {
    this.sameFile();
    return Number(this.db.prepare(sql).run(...params).changes);
  }
  async exclusive<T>(_key: number, work: (storage: Storage) => Promise<T>): Promise<T> {
    return work(this);
  }
  async close(): Promise<void> {
    this.db.close();
  }

  /**
   * Throws once the file at the path is not the one opened (deleted, or replaced by a restore or a
   * clean-up): without this, every write would go on "succeeding" into an unlinked file, and the
   * next start would begin with an empty database. So the storage counts as away (logged, and
   * berth_storage_up 0) until the server is restarted.
   */
  private sameFile(): void {
    const now = Date.now();
    if (!this.lost && now - this.checkedAt >= FILE_CHECK_MS) {
      this.checkedAt = now;
      let what: string | undefined;
      try {
        const { dev, ino } = statSync(this.path);
        if (dev !== this.opened.dev || ino !== this.opened.ino) what = 'was replaced by another file';
      } catch (error) {
        what = `is gone (${(error as NodeJS.ErrnoException).code ?? describeError(error)})`;
      }
      if (what) {
        this.lost = new BerthError(
          `The SQLite storage ${this.path} ${what} while the server ran: what the server writes now would be lost.`,
          'Restart the server (it opens the file at the path again), and restore the file from a copy if it was deleted by mistake.',
        );
      }
    }
    if (this.lost) throw this.lost;
  }
}

/** Whether the storage answers a query now: what `berth_storage_up` shows and what alerts wait for. Never throws. */
export function storageAnswers(storage: Storage): Promise<boolean> {
  return storage.all('SELECT 1 AS ok').then(
    () => true,
    () => false,
  );
}

/** `?` placeholders as PostgreSQL's `$1, $2, …`. */
export function toPgPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

type Queryable = pg.Pool | pg.Client;

/**
 * How long one PostgreSQL query may take. berth's queries are small; one that waits longer is held by
 * a lock or a lost network path, and failing it lets the caller go on as if the storage were away
 * (a check still goes down and alerts, the page still answers) instead of waiting for ever.
 */
export const QUERY_TIMEOUT_MS = 5_000;

export interface StorageOptions {
  readonly queryTimeoutMs?: number;
}

class PostgresStorage implements Storage {
  readonly kind = 'postgres';
  constructor(
    private readonly db: Queryable,
    private readonly url: string,
  ) {}
  async all<T extends Row>(sql: string, params: readonly Param[] = []): Promise<T[]> {
    return (await this.db.query(toPgPlaceholders(sql), [...params])).rows as T[];
  }
  async run(sql: string, params: readonly Param[] = []): Promise<number> {
    return (await this.db.query(toPgPlaceholders(sql), [...params])).rowCount ?? 0;
  }
  /** On a connection of its own, without the pool's query timeout: waiting for another server's migrations is expected. */
  async exclusive<T>(key: number, work: (storage: Storage) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 10_000 });
    client.on('error', () => undefined); // a lost connection fails the query under way, which is reported
    await client.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [key]);
      return await work(new PostgresStorage(client, this.url));
    } finally {
      await client.end(); // ends the session, and with it the advisory lock
    }
  }
  async close(): Promise<void> {
    if (this.db instanceof pg.Pool) await this.db.end();
  }
}

function postgresPool(url: string, logger: Logger, queryTimeoutMs: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    connectionTimeoutMillis: 10_000,
    // Cancelled by PostgreSQL (a lock), or, a second later, given up by the client (no answer at all).
    statement_timeout: queryTimeoutMs,
    query_timeout: queryTimeoutMs + 1_000,
  });
  // An idle client whose server restarts emits 'error' on the pool; unheard, it would end the process.
  // The pool drops that client and the next query opens a new one.
  pool.on('error', (error) => logger.warn(`storage: a PostgreSQL connection was lost: ${describeError(error)}`));
  return pool;
}

/** Advisory-lock key for schema migrations ("berth" in ASCII). */
const MIGRATION_LOCK = 0x6265727468;

/** The storage could not be opened or migrated at start: the server does not start. */
export class StorageError extends BerthError {
  override readonly name = 'StorageError';
}

/** Opens the configured storage and brings its schema up to date (one server at a time). */
export async function openStorage(config: StorageConfig, logger: Logger = silentLogger, options: StorageOptions = {}): Promise<Storage> {
  // Named in the error, without its password: "file is not a database" alone does not say which file.
  const where = config.kind === 'sqlite' ? `sqlite:${config.path}` : redactUrlPasswords(config.url);
  const failed = (error: unknown) =>
    new StorageError(`Cannot open the storage ${where} (storage.url): ${describeError(error)}`, undefined, { cause: error });
  let storage: Storage;
  try {
    if (config.kind === 'sqlite') storage = new SqliteStorage(config.path);
    else {
      storage = new PostgresStorage(postgresPool(config.url, logger, options.queryTimeoutMs ?? QUERY_TIMEOUT_MS), config.url);
    }
  } catch (error) {
    throw failed(error);
  }
  try {
    await storage.exclusive(MIGRATION_LOCK, migrate);
  } catch (error) {
    await storage.close().catch(() => undefined); // the migration error is the one to report
    throw failed(error);
  }
  return storage;
}
