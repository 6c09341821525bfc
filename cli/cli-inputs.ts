/**
 * The CLI's flags are the action's input names (`--host`, `--private-key`, …), also read
 * from BERTH_* environment variables. Keys and known_hosts can come from files.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { InputError } from '../core/errors.js';
import { type InputName, Inputs } from '../core/settings/input-names.js';

/** Flags that read a file into an input, so keys need not be pasted on a command line. */
const FILE_FLAGS: Partial<Record<string, InputName>> = {
  'private-key-file': Inputs.privateKey,
  'known-hosts-file': Inputs.knownHosts,
  'proxy-private-key-file': Inputs.proxyPrivateKey,
  'proxy-known-hosts-file': Inputs.proxyKnownHosts,
};

export interface CliInputs {
  readonly command: string | undefined;
  readonly read: (name: InputName) => string;
  readonly help: boolean;
}

/** `BERTH_PRIVATE_KEY` for `private-key`. */
export function envName(input: string): string {
  return `BERTH_${input.toUpperCase().replace(/-/g, '_')}`;
}

/** Flags that may be given more than once, their values joined one per line: `--host a --host b`. */
const REPEATABLE: readonly InputName[] = [Inputs.host];

/**
 * An empty value among a repeated flag's: `--host "$WEB3"` with WEB3 unset must not shrink the list
 * silently (the joined list's first and last lines would be trimmed away).
 */
function refuseEmptyRepeats(values: Record<string, unknown>): void {
  for (const name of REPEATABLE) {
    const given = values[name];
    if (!Array.isArray(given) || given.length < 2) continue;
    const empty = given.findIndex((value) => typeof value === 'string' && !value.trim());
    if (empty < 0) continue;
    throw new InputError(
      `Invalid input '${name}': --${name} number ${empty + 1} of ${given.length} is empty.`,
      `Give each --${name} a value, such as --${name} web1 --${name} web2.`,
    );
  }
}

export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): CliInputs {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = { help: { type: 'boolean' } };
  for (const name of Object.values(Inputs)) options[name] = { type: 'string', ...(REPEATABLE.includes(name) ? { multiple: true } : {}) };
  for (const name of Object.keys(FILE_FLAGS)) options[name] = { type: 'string' };
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new InputError((error as Error).message.replace(/^Unknown option/, 'Unknown flag'), 'Run `berth --help` for the flags.');
  }
  refuseEmptyRepeats(parsed.values);
  const values = Object.fromEntries(
    Object.entries(parsed.values).map(([name, value]) => [name, Array.isArray(value) ? value.join('\n') : value]),
  ) as Record<string, string | boolean | undefined>;
  const fromFiles: Partial<Record<InputName, string>> = {};
  for (const [flag, input] of Object.entries(FILE_FLAGS)) {
    const file = (values[flag] as string | undefined) ?? env[envName(flag)];
    if (!file || !input) continue;
    try {
      fromFiles[input] = readFileSync(file, 'utf8');
    } catch (error) {
      throw new InputError(`Cannot read --${flag} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
    }
  }
  const [command, ...rest] = parsed.positionals;
  if (rest.length > 0) throw new InputError(`Unexpected argument '${rest[0]}'.`, 'Values go after flags, such as --ref main.');
  return {
    command,
    help: values.help === true,
    read: (name) => (values[name] as string | undefined) ?? fromFiles[name] ?? env[envName(name)] ?? '',
  };
}
