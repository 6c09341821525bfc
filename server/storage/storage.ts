/**
 * The server's database: SQLite (node:sqlite, a file, no service) by default, PostgreSQL when
 * configured. One code path: SQL is written once with `?` placeholders; each driver adapts it.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import type { StorageConfig } from '../config/server-config.js';
import { migrate } from './migrations.js';

export type Row = Record<string, unknown>;
export type Param = string | number | null;

export interface Storage {
  readonly kind: 'sqlite' | 'postgres';
  all<T extends Row>(sql: string, params?: readonly Param[]): Promise<T[]>;
  run(sql: string, params?: readonly Param[]): Promise<void>;
  close(): Promise<void>;
}

class SqliteStorage implements Storage {
  readonly kind = 'sqlite';
  private readonly db: DatabaseSync;
  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path);
    // WAL with synchronous=NORMAL (SQLite's advice for WAL): a commit survives the process dying, and
    // node:sqlite's synchronous calls no longer wait for an fsync each, which blocked the event loop.
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
  }
  async all<T extends Row>(sql: string, params: readonly Param[] = []): Promise<T[]> {
    return this.db.prepare(sql).all(...params) as T[];
  }
  async run(sql: string, params: readonly Param[] = []): Promise<void> {
    this.db.prepare(sql).run(...params);
  }
  async close(): Promise<void> {
    this.db.close();
  }
}

/** `?` placeholders as PostgreSQL's `$1, $2, …`. */
export function toPgPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

class PostgresStorage implements Storage {
  readonly kind = 'postgres';
  constructor(private readonly pool: pg.Pool) {}
  async all<T extends Row>(sql: string, params: readonly Param[] = []): Promise<T[]> {
    return (await this.pool.query(toPgPlaceholders(sql), [...params])).rows as T[];
  }
  async run(sql: string, params: readonly Param[] = []): Promise<void> {
    await this.pool.query(toPgPlaceholders(sql), [...params]);
  }
  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Opens the configured storage and brings its schema up to date. */
export async function openStorage(config: StorageConfig): Promise<Storage> {
  const storage: Storage =
    config.kind === 'sqlite' ? new SqliteStorage(config.path) : new PostgresStorage(new pg.Pool({ connectionString: config.url, max: 4 }));
  try {
    await migrate(storage);
  } catch (error) {
    await storage.close().catch(() => undefined);
    throw error;
  }
  return storage;
}
