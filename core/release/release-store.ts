/**
 * The release history on the server, in the checkout's git directory (`.git/berth/`),
 * so `git checkout` and `git clean` of the app leave it alone. Bounded; written atomically.
 */
import { fileCommands } from '../commands/files.js';
import { type Executor, runChecked, tail } from '../exec/executor.js';
import { BerthError } from '../errors.js';
import { InvalidHistoryError, parseHistory } from './history-file.js';
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
    /** The run's cancel signal, given to every read and write; or one made for each. */
    private readonly signal?: AbortSignal | (() => AbortSignal),
  ) {}

  /**
   * The same history, knowing what this store knows, read and written under another signal: a stopped
   * run's record, or a release that went live, gets its own short grace.
   */
  withSignal(signal: AbortSignal | (() => AbortSignal)): ReleaseStore {
    const store = new ReleaseStore(this.executor, this.stateDir, signal);
    store.known = this.known;
    return store;
  }

  private signalNow(): AbortSignal | undefined {
    return typeof this.signal === 'function' ? this.signal() : this.signal;
  }

  get file(): string {
    return `${this.stateDir}/releases.json`;
  }

  async list(): Promise<Release[]> {
    const { stdout } = await runChecked(this.executor, fileCommands.read(this.file), { signal: this.signalNow() });
    try {
      return [...(this.known = parseHistory(stdout))];
    } catch (error) {
      if (!(error instanceof InvalidHistoryError)) throw error;
      throw new BerthError(
        `The release history ${this.file} on ${this.executor.where} cannot be read: ${error.message}. Nothing was changed.`,
        'Mend it, or move it aside to start a new one.',
      );
    }
  }

  /** Inserts or replaces the release (by id), trims the history to its limit, and returns the history written. */
  save(release: Release): Promise<Release[]> {
    return this.saveAll([release]);
  }

  /** Inserts or replaces each release (by id) in one write. */
  async saveAll(releases: readonly Release[]): Promise<Release[]> {
    const history = this.known ? [...this.known] : await this.list();
    for (const release of releases) {
      const index = history.findIndex((r) => r.id === release.id);
      if (index >= 0) history[index] = release;
      else history.push(release);
    }
    const kept = history.slice(-HISTORY_LIMIT);
    const written = await this.executor.run(fileCommands.writeAtomic(this.file), {
      stdin: `${JSON.stringify({ version: 1, releases: kept }, null, 2)}\n`,
      signal: this.signalNow(),
    });
    if (written.code !== 0) {
      throw new BerthError(
        `Could not write the release history ${this.file} on ${this.executor.where}: ${tail(written.stderr, 3) || `exit ${written.code ?? written.signal}`}. It was left as it was.`,
        `Check that the disk is not full and that the deploy user owns ${this.stateDir}.`,
      );
    }
    this.known = kept;
    return [...kept];
  }
}
