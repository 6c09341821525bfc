/**
 * The release history on the server, in the checkout's git directory (`.git/berth/`),
 * so `git checkout` and `git clean` of the app leave it alone. Bounded; written atomically.
 */
import { fileCommands } from '../commands/files.js';
import { type Executor, runChecked } from '../exec/executor.js';
import type { Release } from './release.js';

/** Releases kept in the history file. */
export const HISTORY_LIMIT = 50;

export class ReleaseStore {
  constructor(
    private readonly executor: Executor,
    readonly stateDir: string,
    /** The run's cancel signal, given to every read and write; or one made for each. */
    private readonly signal?: AbortSignal | (() => AbortSignal),
  ) {}

  /** The same history, read and written under another signal (a stopped run's record gets its own short grace). */
  withSignal(signal: AbortSignal | (() => AbortSignal)): ReleaseStore {
    return new ReleaseStore(this.executor, this.stateDir, signal);
  }

  private signalNow(): AbortSignal | undefined {
    return typeof this.signal === 'function' ? this.signal() : this.signal;
  }

  get file(): string {
    return `${this.stateDir}/releases.json`;
  }

  async list(): Promise<Release[]> {
    const { stdout } = await runChecked(this.executor, fileCommands.read(this.file), { signal: this.signalNow() });
    if (!stdout.trim()) return [];
    try {
      const parsed = JSON.parse(stdout) as { releases?: Release[] };
      return parsed.releases ?? [];
    } catch {
      throw new Error(`The release history ${this.file} on ${this.executor.where} is not valid JSON; move it aside to start a new one.`);
    }
  }

  /** Inserts or replaces the release (by id), trims the history to its limit, and returns the history written. */
  save(release: Release): Promise<Release[]> {
    return this.saveAll([release]);
  }

  /** Inserts or replaces each release (by id) in one write. */
  async saveAll(releases: readonly Release[]): Promise<Release[]> {
    const history = await this.list();
    for (const release of releases) {
      const index = history.findIndex((r) => r.id === release.id);
      if (index >= 0) history[index] = release;
      else history.push(release);
    }
    const kept = history.slice(-HISTORY_LIMIT);
    await runChecked(this.executor, fileCommands.writeAtomic(this.file), {
      stdin: `${JSON.stringify({ version: 1, releases: kept }, null, 2)}\n`,
      signal: this.signalNow(),
    });
    return kept;
  }
}
