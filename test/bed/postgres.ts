/**
 * A private PostgreSQL cluster for the tests: initdb in the bed's folder (as the postgres
 * user), listening on a free port of 127.0.0.1 with password authentication. Reuses a running
 * server instead when BERTH_TEST_POSTGRES_URL names one.
 */
import { chownSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, sh } from './system.js';

export interface Postgres {
  /** A superuser URL: postgres://postgres:<password>@127.0.0.1:<port>/postgres */
  readonly url: string;
  readonly port: number;
  stop(): void;
}

function pgBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) if (existsSync(join(root, version, 'bin', 'initdb'))) return join(root, version, 'bin');
  throw new Error('PostgreSQL server binaries not found: apt-get install -y postgresql');
}

export async function startPostgres(dir: string, password: string): Promise<Postgres> {
  if (process.env.BERTH_TEST_POSTGRES_URL) {
    const url = process.env.BERTH_TEST_POSTGRES_URL;
    return { url, port: Number(new URL(url).port || 5432), stop: () => {} };
  }
  const bin = pgBin();
  const { uid, gid } = { uid: Number(sh('id', ['-u', 'postgres']).trim()), gid: Number(sh('id', ['-g', 'postgres']).trim()) };
  mkdirSync(dir, { recursive: true });
  chownSync(dir, uid, gid);
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  chownSync(pwfile, uid, gid);
  const asPostgres = (args: string[]): string => sh('runuser', ['-u', 'postgres', '--', ...args]);
  asPostgres([
    join(bin, 'initdb'),
    '--pgdata',
    data,
    '--username',
    'postgres',
    '--auth',
    'scram-sha-256',
    '--pwfile',
    pwfile,
    '--encoding',
    'UTF8',
    '--locale',
    'C.UTF-8',
  ]);
  const port = await freePort();
  asPostgres([
    join(bin, 'pg_ctl'),
    '--pgdata',
    data,
    '--log',
    join(dir, 'postgres.log'),
    '--options',
    `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c max_connections=50`,
    '--wait',
    'start',
  ]);
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => {
      try {
        asPostgres([join(bin, 'pg_ctl'), '--pgdata', data, '--mode', 'fast', 'stop']);
      } catch {
        // already stopped
      }
    },
  };
}
