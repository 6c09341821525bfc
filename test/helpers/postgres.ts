/** Databases in the test bed's PostgreSQL. */
import pg from 'pg';
import { testbed } from '../bed/testbed.js';

export function dbUrl(database: string, user = 'postgres', password?: string): string {
  const url = new URL(testbed().postgresUrl);
  url.pathname = `/${database}`;
  url.username = user;
  if (password !== undefined) url.password = encodeURIComponent(password);
  return url.toString();
}

export async function query<T extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

export async function createDatabase(name: string): Promise<string> {
  await query(testbed().postgresUrl, `DROP DATABASE IF EXISTS "${name}"`);
  await query(testbed().postgresUrl, `CREATE DATABASE "${name}"`);
  return dbUrl(name);
}

/** Seeds several tables (unicode text, numerics, bytea) and a large object. */
export async function seed(url: string, users = 3000): Promise<void> {
  await query(
    url,
    `CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL, email text UNIQUE);
     CREATE TABLE orders (id serial PRIMARY KEY, user_id int REFERENCES users(id), amount numeric(12,2), note text, created timestamptz DEFAULT '2026-01-01');
     CREATE TABLE files (id serial PRIMARY KEY, data bytea);
     INSERT INTO users (name, email) SELECT 'Ім''я ' || g || ' — ünïcødé ✓ 日本', 'u' || g || '@example.com' FROM generate_series(1, ${users}) g;
     INSERT INTO orders (user_id, amount, note) SELECT 1 + (g % ${users}), g * 1.25, repeat('x', g % 50) || E'\\n\\ttab' FROM generate_series(1, ${users * 2}) g;
     INSERT INTO files (data) SELECT decode(md5(g::text) || md5((g * 7)::text), 'hex') FROM generate_series(1, 500) g;
     SELECT lo_from_bytea(424242, decode(repeat('deadbeef', 1000), 'hex'));`,
  );
}

/** Row counts and content checksums of the seeded data. */
export async function fingerprint(url: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of ['users', 'orders', 'files']) {
    const [row] = await query<{ n: string; sum: string }>(
      url,
      `SELECT count(*)::text AS n, md5(string_agg(t::text, '|' ORDER BY id)) AS sum FROM ${table} t`,
    );
    out[table] = `${row?.n}:${row?.sum}`;
  }
  const [lo] = await query<{ sum: string }>(url, 'SELECT md5(lo_get(424242)) AS sum');
  out.largeObject = lo?.sum ?? '';
  return out;
}
