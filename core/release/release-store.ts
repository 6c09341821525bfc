/**
 * The release history on the server, in the checkout's git directory (`.git/berth/`),
 * so `git checkout` and `git clean` of the app leave it alone. Bounded; written atomically.
 */
import { fileCommands } from '../commands/files.js';
import { type Executor, runChecked } from '../exec/executor.js';
import type { Release } from './release.js';

/** Releases kept in the history file. */
export const HISTORY_LIMIT = 50;

/**
 * Writes happen under the deploy lock, so the history this store last read or wrote is what the
 * server holds: a save builds on it instead of reading the file again (one round trip less).
 */
export class ReleaseStore {
  private known: readonly Release[] | undefined;

  constructor(
    private readonly executor: Executor,
    readonly stateDir: string,
    /** The run's cancel signal, given to every read and write. */
    private readonly signal?: AbortSignal,
  ) {}

  get file(): string {
    return `${this.stateDir}/releases.json`;
  }

  async list(): Promise<Release[]> {
    const { stdout } = await runChecked(this.executor, fileCommands.read(this.file), { signal: this.signal });
    if (!stdout.trim()) return [...(this.known = [])];
    try {
      const parsed = JSON.parse(stdout) as { releases?: Release[] };
      return [...(this.known = parsed.releases ?? [])];
    } catch {
      throw new Error(`The release history ${this.file} on ${this.executor.where} is not valid JSON; move it aside to start a new one.`);
    }
  }

  /** Inserts or replaces the release (by id), trims the history to its limit, and returns the history written. */
  async save(release: Release): Promise<Release[]> {
    const history = this.known ? [...this.known] : await this.list();
    const index = history.findIndex((r) => r.id === release.id);
    if (index >= 0) history[index] = release;
    else history.push(release);
    const kept = history.slice(-HISTORY_LIMIT);
    await runChecked(this.executor, fileCommands.writeAtomic(this.file), {
      stdin: `${JSON.stringify({ version: 1, releases: kept }, null, 2)}\n`,
      signal: this.signal,
    });
    this.known = kept;
    return [...kept];
  }
}
