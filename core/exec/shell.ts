/**
 * The one place where argument lists become shell text.
 *
 * Every remote command is built as an argument list by a pure builder; only the
 * executor turns it into a line for the remote login shell, through `shellJoin`.
 * Values are single-quoted, so no character in them (spaces, `$`, `;`, newlines,
 * quotes) is ever interpreted by the shell.
 */

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes one word for a POSIX shell. */
export function shellQuote(word: string): string {
  if (word.includes('\0')) {
    throw new TypeError('A command argument cannot contain a NUL byte.');
  }
  if (word !== '' && SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Joins an argument list into one shell command line, each word quoted. */
export function shellJoin(argv: readonly string[]): string {
  if (argv.length === 0) throw new TypeError('A command needs at least one word.');
  return argv.map(shellQuote).join(' ');
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What a remote command line is made of. */
export interface CommandLine {
  readonly argv: readonly string[];
  /** Working directory; the command does not run if it cannot be entered. */
  readonly cwd?: string | undefined;
  /** Variables set for this command only (passed in the line, not through the server's AcceptEnv). */
  readonly env?: Readonly<Record<string, string>> | undefined;
}

/**
 * Renders a command with its working directory and environment as one shell line.
 * The login shell `exec`s the command, so its exit status and signals reach us unchanged
 * and a signal sent to the session reaches the command itself.
 */
export function toShellLine({ argv, cwd, env }: CommandLine): string {
  const parts: string[] = [];
  if (cwd !== undefined) parts.push(`cd ${shellQuote(cwd)} &&`);
  parts.push('exec');
  const pairs = Object.entries(env ?? {});
  if (pairs.length > 0) {
    for (const [name] of pairs) {
      if (!ENV_NAME.test(name)) throw new TypeError(`Invalid environment variable name '${name}'.`);
    }
    parts.push('env', ...pairs.map(([name, value]) => shellQuote(`${name}=${value}`)));
  }
  parts.push(shellJoin(argv));
  return parts.join(' ');
}
