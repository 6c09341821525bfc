/**
 * Restores a `.sql.gz` backup into a database: the file's sha256 is checked first (against the
 * catalog's value and the sidecar `.sha256`), a non-empty target is refused unless `clean`, and
 * cleaning and restoring happen in one transaction, so a failed restore loses nothing.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { BerthError } from '../errors.js';
import { LocalExecutor } from '../exec/local-executor.js';
import { restoreCommand, splitPassword } from './dump-command.js';

export class RestoreError extends BerthError {
  override readonly name = 'RestoreError';
}

/** Counts the user objects of a database: tables, views, sequences, large objects. */
const USER_OBJECTS_SQL = `SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
  AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')) + (SELECT count(*) FROM pg_largeobject_metadata)`;

/** Drops every user schema and large object, then recreates public: run inside the restore's transaction. */
const CLEAN_SQL = `DO $berth$ DECLARE s name; BEGIN
  FOR s IN SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg_toast%' AND nspname NOT LIKE 'pg_temp%' LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', s);
  END LOOP;
  PERFORM lo_unlink(oid) FROM pg_largeobject_metadata;
  CREATE SCHEMA public;
END $berth$;
`;

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** The sha256 a sidecar file records, if there is one. */
async function sidecarSha(file: string): Promise<string | undefined> {
  try {
    return (await readFile(`${file}.sha256`, 'utf8')).split(/\s+/)[0];
  } catch {
    return undefined;
  }
}

export interface RestoreOptions {
  readonly clean: boolean;
  /** The catalog's sha256 for this file, when the catalog knows it. */
  readonly expectedSha256?: string | undefined;
}

export async function restoreBackup(file: string, databaseUrl: string, options: RestoreOptions): Promise<{ sha256: string }> {
  let actual: string;
  try {
    actual = await sha256File(file);
  } catch (error) {
    throw new RestoreError(`Cannot read backup ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  for (const [where, expected] of [
    ['the catalog', options.expectedSha256],
    ['its .sha256 file', await sidecarSha(file)],
  ] as const) {
    if (expected && expected !== actual) {
      throw new RestoreError(
        `Backup ${file} does not match ${where}: sha256 ${actual}, expected ${expected}. Nothing was restored.`,
        'The file is damaged or was replaced: pick another backup.',
      );
    }
  }
  const { url, password } = splitPassword(databaseUrl);
  const env: Record<string, string> = password === undefined ? {} : { PGPASSWORD: password };
  const count = await new LocalExecutor().run(['psql', '--no-password', '--no-psqlrc', '-tA', '-c', USER_OBJECTS_SQL, `--dbname=${url}`], {
    env,
  });
  if (count.code !== 0) throw new RestoreError(`Cannot connect to the target database: ${count.stderr.trim()}`);
  const objects = Number(count.stdout.trim());
  if (objects > 0 && !options.clean) {
    throw new RestoreError(
      `The target database is not empty (${objects} tables, sequences, views or large objects). Nothing was restored.`,
      'Restore into a new database, or pass --clean to replace its contents (in one transaction with the restore).',
    );
  }
  const command = restoreCommand(databaseUrl);
  const [bin, ...args] = command.argv;
  const child = spawn(bin ?? 'psql', args, { env: { ...process.env, ...command.env }, stdio: ['pipe', 'ignore', 'pipe'] });
  const stderr: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => void (stderr.length < 64 && stderr.push(chunk)));
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(null));
    child.once('close', resolve);
  });
  async function* input() {
    if (objects > 0) yield Buffer.from(CLEAN_SQL);
    yield* createReadStream(file).pipe(createGunzip());
  }
  const streamed = await pipeline(input, child.stdin).then(
    () => undefined,
    (error: Error) => error,
  );
  const code = await exited;
  if (code !== 0 || streamed) {
    const tail = Buffer.concat(stderr).toString().trim().split('\n').slice(-5).join('\n');
    throw new RestoreError(
      `Restoring ${file} failed (psql exit ${code}): ${tail || streamed?.message}. The transaction was rolled back; the target is as it was.`,
    );
  }
  return { sha256: actual };
}
