/**
 * Reads berth.yml: YAML, then `${VAR}` interpolation in string values (from the environment,
 * `${VAR:-default}` allowed), then validation against the schema. Every problem names its key path,
 * all of them at once, and the server does not start.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { BerthError } from '../../core/errors.js';
import { keyPath } from '../../core/key-path.js';
import { formatIssues } from './format-issues.js';
import { berthSchema, portSchema } from './schema/berth-schema.js';
import type { ServerConfig } from './server-config.js';

export class ConfigError extends BerthError {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string and records unset variables. A string
 * that ends up empty counts as not given, so `api-token: ${TOKEN:-}` means "no token".
 */
export function interpolate(value: unknown, env: Env, path: string, problems: string[]): unknown {
  if (typeof value === 'string') {
    const out = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_match, name: string, fallback: string | undefined) => {
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      problems.push(`${path}: refers to \${${name}}, which is not set in the environment`);
      return '';
    });
    return out === '' ? undefined : out;
  }
  if (Array.isArray(value)) return value.map((item, i) => interpolate(item, env, `${path}[${i}]`, problems));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolate(item, env, path ? `${path}.${key}` : key, problems)]),
    );
  }
  return value;
}

/** Names used twice within `backups` or `checks` (they key files, routes and alerts). */
function duplicateNames(data: unknown): string[] {
  const problems: string[] = [];
  for (const key of ['backups', 'checks']) {
    const items = (data as Record<string, unknown> | null)?.[key];
    if (!Array.isArray(items)) continue;
    const seen = new Set<string>();
    const repeated = new Set<string>();
    for (const item of items as Array<{ name?: unknown } | null>) {
      const name = item?.name;
      if (typeof name !== 'string') continue;
      (seen.has(name) ? repeated : seen).add(name);
    }
    for (const dup of repeated) problems.push(`${key}: the name '${dup}' is used twice`);
  }
  return problems;
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
  const data = interpolate(raw, env, '', problems) ?? {};
  // An unset variable is reported once, not again as the missing or malformed value it left.
  const unset = new Set(problems.map((p) => p.slice(0, p.indexOf(':'))));
  const parsed = berthSchema.safeParse(data);
  if (!parsed.success) {
    problems.push(
      ...formatIssues(
        parsed.error.issues.filter((issue) => !unset.has(keyPath(issue.path))),
        data,
      ),
    );
  }
  problems.push(...duplicateNames(data));
  const port = env.PORT ? portSchema.safeParse(env.PORT) : undefined;
  if (port && !port.success) problems.push(...formatIssues(port.error.issues, env.PORT).map((line) => line.replace(/^the config/, 'PORT')));
  if (problems.length > 0 || !parsed.success)
    throw new ConfigError(
      `Invalid configuration in ${source}:\n  ${problems.join('\n  ')}`,
      'Fix the keys above; the server did not start.',
    );
  return port?.success ? { ...parsed.data, port: port.data } : parsed.data;
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
