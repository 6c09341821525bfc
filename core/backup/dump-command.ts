/**
 * pg_dump command lines. Pure: argument lists and environment. The password never
 * appears in an argument (where `ps` would show it): it goes in PGPASSWORD.
 */
import { type ComposeProject, composeCommands } from '../commands/compose.js';

export type BackupSource =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'compose'; readonly path: string; readonly service: string; readonly database: string; readonly user: string };

export interface DumpCommand {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

/** Plain SQL; objects owned by whoever restores it, so a dump restores into another role's database. */
const PG_DUMP = ['pg_dump', '--no-password', '--format=plain', '--no-owner'];

/** The URL without its password, and the password apart. */
export function splitPassword(url: string): { url: string; password: string | undefined } {
  const parsed = new URL(url);
  const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  parsed.password = '';
  return { url: parsed.toString(), password };
}

export function dumpCommand(source: BackupSource, compose: ComposeProject | undefined): DumpCommand {
  if (source.kind === 'url') {
    const { url, password } = splitPassword(source.url);
    return { argv: [...PG_DUMP, `--dbname=${url}`], env: password === undefined ? {} : { PGPASSWORD: password } };
  }
  if (!compose) throw new TypeError('A compose backup source needs the Compose project.');
  return {
    argv: composeCommands.exec(compose, source.service, [...PG_DUMP, '--username', source.user, '--dbname', source.database]),
    env: {},
    cwd: source.path,
  };
}

/** psql reading a plain dump from stdin, stopping at the first error, all or nothing. */
export function restoreCommand(url: string): DumpCommand {
  const { url: bare, password } = splitPassword(url);
  return {
    argv: ['psql', '--no-password', '--quiet', '--no-psqlrc', '--set', 'ON_ERROR_STOP=1', '--single-transaction', `--dbname=${bare}`],
    env: password === undefined ? {} : { PGPASSWORD: password },
  };
}
