/**
 * Reads berth.yml: YAML, then `${VAR}` interpolation in string values (from the environment,
 * `${VAR:-default}` allowed), then validation. Every problem names the key's path.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { cronProblem, timezoneProblem } from '../../core/backup/schedule.js';
import { BerthError } from '../../core/errors.js';
import { type BackupConfig, SERVER_DEFAULTS, type ServerConfig, type StorageConfig } from './server-config.js';

export class ConfigError extends BerthError {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

/** Replaces `${VAR}` and `${VAR:-default}` in every string; records unset variables. */
export function interpolate(value: unknown, env: Env, path: string, problems: string[]): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_match, name: string, fallback: string | undefined) => {
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      problems.push(`${path}: refers to \${${name}}, which is not set in the environment`);
      return '';
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => interpolate(item, env, `${path}[${i}]`, problems));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolate(item, env, path ? `${path}.${key}` : key, problems)]),
    );
  }
  return value;
}

class Reader {
  constructor(readonly problems: string[]) {}

  object(value: unknown, path: string, allowed: readonly string[]): Record<string, unknown> {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.problems.push(`${path || 'the config'}: expected a mapping`);
      return {};
    }
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.problems.push(`${path ? `${path}.` : ''}${key}: unknown key (known: ${allowed.join(', ')})`);
    }
    return value as Record<string, unknown>;
  }

  string(value: unknown, path: string, required: boolean): string | undefined {
    if (value === undefined || value === null || value === '') {
      if (required) this.problems.push(`${path}: is required`);
      return undefined;
    }
    if (typeof value !== 'string' && typeof value !== 'number') {
      this.problems.push(`${path}: expected a string`);
      return undefined;
    }
    return String(value);
  }

  integer(value: unknown, path: string, fallback: number, min: number, max: number): number {
    if (value === undefined || value === null || value === '') return fallback;
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      this.problems.push(`${path}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
      return fallback;
    }
    return n;
  }

  url(value: string | undefined, path: string, schemes: readonly string[]): string | undefined {
    if (value === undefined) return undefined;
    try {
      const url = new URL(value);
      if (!schemes.includes(url.protocol)) this.problems.push(`${path}: expected a ${schemes.join(' or ')} URL, got '${url.protocol}'`);
    } catch {
      this.problems.push(`${path}: is not a valid URL`);
    }
    return value;
  }
}

function storage(r: Reader, raw: unknown): StorageConfig {
  const section = r.object(raw, 'storage', ['url']);
  const url = r.string(section.url, 'storage.url', false) ?? SERVER_DEFAULTS.storageUrl;
  if (url.startsWith('sqlite:')) return { kind: 'sqlite', url, path: url.slice('sqlite:'.length) || './data/berth.db' };
  if (/^postgres(ql)?:\/\//.test(url)) {
    r.url(url, 'storage.url', ['postgres:', 'postgresql:']);
    return { kind: 'postgres', url };
  }
  r.problems.push(`storage.url: expected sqlite:<path> or postgres://user:pass@host/db, got '${url.replace(/:[^:@/]*@/, ':***@')}'`);
  return { kind: 'sqlite', url: SERVER_DEFAULTS.storageUrl, path: './data/berth.db' };
}

function backup(r: Reader, raw: unknown, path: string): BackupConfig | undefined {
  const b = r.object(raw, path, ['name', 'database-url', 'compose', 'schedule', 'timezone', 'dir', 'keep-days', 'keep-min']);
  const name = r.string(b.name, `${path}.name`, true);
  if (name !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name))
    r.problems.push(`${path}.name: use letters, digits, '.', '_' and '-' (it names files)`);
  const url = r.url(r.string(b['database-url'], `${path}.database-url`, false), `${path}.database-url`, ['postgres:', 'postgresql:']);
  let source: BackupConfig['source'] | undefined;
  if (b.compose !== undefined) {
    const c = r.object(b.compose, `${path}.compose`, ['path', 'service', 'database', 'user']);
    const composePath = r.string(c.path, `${path}.compose.path`, true);
    const service = r.string(c.service, `${path}.compose.service`, true);
    const database = r.string(c.database, `${path}.compose.database`, true);
    const user = r.string(c.user, `${path}.compose.user`, true);
    if (composePath && service && database && user) source = { kind: 'compose', path: composePath, service, database, user };
    if (url) r.problems.push(`${path}: give database-url or compose, not both`);
  } else if (url) {
    source = { kind: 'url', url };
  } else {
    r.problems.push(`${path}: needs database-url or compose: { path, service, database, user }`);
  }
  const schedule = r.string(b.schedule, `${path}.schedule`, false) ?? SERVER_DEFAULTS.schedule;
  const cron = cronProblem(schedule);
  if (cron) r.problems.push(`${path}.schedule: '${schedule}' is not a valid cron expression (${cron})`);
  const timezone = r.string(b.timezone, `${path}.timezone`, false);
  const zone = timezone ? timezoneProblem(timezone) : null;
  if (zone) r.problems.push(`${path}.timezone: ${zone}`);
  const keepDays = r.integer(b['keep-days'], `${path}.keep-days`, SERVER_DEFAULTS.keepDays, 0, 36_500);
  const keepMin = r.integer(b['keep-min'], `${path}.keep-min`, SERVER_DEFAULTS.keepMin, 1, 10_000);
  const dir = r.string(b.dir, `${path}.dir`, false) ?? `./data/backups/${name ?? 'backup'}`;
  if (!name || !source) return undefined;
  return { name, source, schedule, timezone, dir, keepDays, keepMin };
}

/** Parses and validates config text. Throws one ConfigError listing every problem. */
export function parseConfig(text: string, env: Env, source = 'berth.yml'): ServerConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (error) {
    throw new ConfigError(`${source} is not valid YAML: ${(error as Error).message}`);
  }
  const problems: string[] = [];
  const data = interpolate(raw, env, '', problems);
  const r = new Reader(problems);
  const top = r.object(data, '', ['port', 'api-token', 'storage', 'backups']);
  const port = r.integer(env.PORT ?? top.port, env.PORT ? 'PORT' : 'port', SERVER_DEFAULTS.port, 1, 65_535);
  const apiToken = r.string(top['api-token'], 'api-token', false);
  if (apiToken !== undefined && apiToken.length < 16) problems.push('api-token: use at least 16 characters (openssl rand -hex 32)');
  const backups: BackupConfig[] = [];
  if (top.backups !== undefined && !Array.isArray(top.backups)) problems.push('backups: expected a list');
  (Array.isArray(top.backups) ? top.backups : []).forEach((item, i) => {
    const parsed = backup(r, item, `backups[${i}]`);
    if (parsed) backups.push(parsed);
  });
  const names = backups.map((b) => b.name);
  for (const dup of names.filter((n, i) => names.indexOf(n) !== i)) problems.push(`backups: the name '${dup}' is used twice`);
  const config: ServerConfig = { port, apiToken, storage: storage(r, top.storage), backups };
  if (problems.length > 0)
    throw new ConfigError(
      `Invalid configuration in ${source}:\n  ${problems.join('\n  ')}`,
      'Fix the keys above; the server did not start.',
    );
  return config;
}

/** Loads the config file, or the embedded default (SQLite under ./data, nothing scheduled) when there is none. */
export async function loadConfig(path: string | undefined, env: Env): Promise<ServerConfig> {
  if (!path) return parseConfig('', env, 'the default configuration');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read the config ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  return parseConfig(text, env, path);
}
