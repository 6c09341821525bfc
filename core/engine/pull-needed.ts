/**
 * Whether a deploy's `pull` has anything to pull. Compose pulls only services without `build:` (v2 is
 * told `--ignore-buildable`; v1 would pull a built service's `image:` name only for the build to replace
 * it), so when every service is built here the pull is one more Compose start-up for nothing (~0.4 s
 * with v1). Read from the Compose files themselves, not `compose config` (which costs that start-up
 * too); whenever the files do not tell for sure, the answer is to pull.
 */
import { parse } from 'yaml';
import { COMPOSE_FILE_NAMES, DIR_MARK, ENV_LINE, FILE_MARK, NAME_ENV_LINE, OVERRIDE_FILE_NAMES } from '../commands/compose.js';

/** What a read of the project folder found: the files that exist (name → text), and what the environment sets. */
export interface ProjectFiles {
  readonly files: ReadonlyMap<string, string>;
  readonly composeFileInEnvironment: boolean;
  readonly projectNameInEnvironment?: boolean;
  /** The folder with symbolic links resolved, as Compose sees it. */
  readonly physicalDir?: string;
}

/** Splits the output of `composeCommands.readFiles` into its files. */
export function parseProjectFiles(stdout: string): ProjectFiles {
  const files = new Map<string, string>();
  let composeFileInEnvironment = false;
  let projectNameInEnvironment = false;
  let physicalDir: string | undefined;
  let current: { name: string; lines: string[] } | undefined;
  const close = () => current && files.set(current.name, current.lines.join('\n'));
  for (const line of stdout.split('\n')) {
    if (line === ENV_LINE && !current) composeFileInEnvironment = true;
    else if (line === NAME_ENV_LINE && !current) projectNameInEnvironment = true;
    else if (line.startsWith(DIR_MARK) && !current) physicalDir = line.slice(DIR_MARK.length);
    else if (line.startsWith(FILE_MARK)) {
      close();
      current = { name: line.slice(FILE_MARK.length), lines: [] };
    } else current?.lines.push(line);
  }
  close();
  return { files, composeFileInEnvironment, projectNameInEnvironment, ...(physicalDir ? { physicalDir } : {}) };
}

export interface PullDecision {
  readonly needed: boolean;
  /** Why, for the log and the tests. */
  readonly why: string;
}

const pull = (why: string): PullDecision => ({ needed: true, why });

/**
 * Pull unless every service of the files Compose reads has `build:`. `composeFiles` are the files
 * given to Compose (`compose-files`); with none, Compose's own lookup in the folder is followed, and
 * anything it would decide elsewhere (COMPOSE_FILE, a file in a parent folder, several candidates)
 * means pull.
 */
export function pullNeeded(read: ProjectFiles, composeFiles: readonly string[]): PullDecision {
  const chosen = composeFiles.length > 0 ? { files: composeFiles } : filesComposeFinds(read);
  if ('why' in chosen) return pull(chosen.why);
  const built = new Map<string, boolean>();
  for (const name of chosen.files) {
    const text = read.files.get(name);
    if (text === undefined) return pull(`${name} was not found`);
    const services = servicesOf(text);
    if (!services) return pull(`${name} has no services map berth can read`);
    for (const [service, config] of services) built.set(service, (built.get(service) ?? false) || hasBuild(config));
  }
  const pulled = [...built].filter(([, isBuilt]) => !isBuilt).map(([service]) => service);
  if (built.size === 0) return pull('no services were found');
  return pulled.length > 0
    ? pull(`${pulled.join(', ')} ${pulled.length === 1 ? 'has' : 'have'} no build`)
    : { needed: false, why: 'every service is built from source' };
}

/** The files Compose reads when none are given, or why berth cannot tell. */
function filesComposeFinds(read: ProjectFiles): { files: string[] } | { why: string } {
  const dotenv = read.files.get('.env') ?? '';
  if (read.composeFileInEnvironment || /^\s*(export\s+)?COMPOSE_FILE\s*=/m.test(dotenv)) return { why: 'COMPOSE_FILE names the files' };
  const main = COMPOSE_FILE_NAMES.filter((name) => read.files.has(name));
  const overrides = OVERRIDE_FILE_NAMES.filter((name) => read.files.has(name));
  if (main.length !== 1) return { why: main.length === 0 ? 'no Compose file in the folder' : `several Compose files (${main.join(', ')})` };
  if (overrides.length > 1) return { why: `several override files (${overrides.join(', ')})` };
  return { files: [...main, ...overrides] };
}

/** A file's services, or undefined when it is not a Compose file with a services map (or one that includes others). */
function servicesOf(text: string): Map<string, unknown> | undefined {
  let doc: unknown;
  try {
    doc = parse(text, { merge: true });
  } catch {
    return undefined;
  }
  if (!isRecord(doc) || 'include' in doc || !isRecord(doc.services)) return undefined;
  return new Map(Object.entries(doc.services));
}

function hasBuild(config: unknown): boolean {
  return isRecord(config) && config.build !== undefined && config.build !== null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
