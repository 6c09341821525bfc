/**
 * The Compose project's name, as Compose derives it, from what a read of the project folder found
 * (see pull-needed.ts): `--project-name`, else COMPOSE_PROJECT_NAME in `.env`, else the folder's name
 * (symbolic links resolved), lower-cased with what Compose drops dropped. Knowing it, berth lists the
 * project's containers with `docker ps` by label instead of starting Compose (`compose ps`, ~0.3 s of
 * Python with v1, more when it runs beside a build). Pure; undefined whenever the read does not tell
 * for sure (the name set in the environment, files in another folder, a `name:` in a Compose file,
 * a value with variables), and the caller then asks Compose.
 */
import { parse } from 'yaml';
import { COMPOSE_FILE_NAMES, type ComposeFlavor } from '../commands/compose.js';
import type { ProjectFiles } from './pull-needed.js';

export function composeProjectName(
  read: ProjectFiles,
  given: { readonly projectName: string | undefined; readonly files: readonly string[]; readonly flavor: ComposeFlavor },
): string | undefined {
  if (given.projectName) return normalize(given.projectName, given.flavor);
  if (read.projectNameInEnvironment) return undefined;
  // Compose takes the folder of the first file as the project's (and reads .env there): it must be this one.
  if (given.files.some((file) => file.includes('/'))) return undefined;
  if (read.composeFileInEnvironment || dotenvValue(read.files.get('.env') ?? '', 'COMPOSE_FILE') !== undefined) return undefined;
  if (given.files.length === 0 && !COMPOSE_FILE_NAMES.some((name) => read.files.has(name))) return undefined;
  for (const [name, text] of read.files) if (name !== '.env' && namesItself(text)) return undefined;
  const fromDotenv = dotenvValue(read.files.get('.env') ?? '', 'COMPOSE_PROJECT_NAME');
  if (fromDotenv === null) return undefined;
  const dirName = read.physicalDir?.split('/').filter(Boolean).at(-1);
  const name = fromDotenv ?? dirName;
  return name ? normalize(name, given.flavor) : undefined;
}

/** Compose v1 drops every character but a-z, 0-9, - and _ after lower-casing; v2 also trims - and _ at the start. */
export function normalize(name: string, flavor: ComposeFlavor): string | undefined {
  const kept = name.toLowerCase().replace(/[^-_a-z0-9]/g, '');
  const result = flavor === 'v2' ? kept.replace(/^[-_]+/, '') : kept;
  return result || undefined;
}

/** Whether a Compose file names its project (`name:` at the top, Compose v2), or cannot be read to tell. */
function namesItself(text: string): boolean {
  try {
    const doc: unknown = parse(text, { merge: true });
    return typeof doc === 'object' && doc !== null && 'name' in doc;
  } catch {
    return true;
  }
}

/**
 * The last value `.env` gives `key` (quotes removed, a comment after an unquoted value dropped);
 * undefined when it gives none; null when the value has variables or quoting berth does not read.
 */
export function dotenvValue(text: string, key: string): string | undefined | null {
  let value: string | undefined | null;
  for (const line of text.split('\n')) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (match?.[1] !== key) continue;
    value = unquote(match[2] ?? '');
  }
  return value;
}

function unquote(raw: string): string | null {
  const quoted = /^(['"])(.*)\1$/.exec(raw);
  const value = quoted ? (quoted[2] ?? '') : raw.replace(/\s+#.*$/, '');
  if (/[$"'\\`]/.test(value)) return null;
  return value;
}
