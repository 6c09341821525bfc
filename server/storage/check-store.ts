/** Check results (bounded per check), each check's current state, and its state changes. */
import { randomUUID } from 'node:crypto';
import type { CheckDetails } from '../alerts/alert-events.js';
import type { CheckResult } from '../checks/check-outcome.js';
import type { CheckState, Health, Transition } from '../checks/check-state.js';
import type { Storage } from './storage.js';

/** Results kept per check: the newest this many, and none older than RESULTS_MAX_AGE_MS. */
export const RESULTS_KEPT = 1000;
export const RESULTS_MAX_AGE_MS = 30 * 86_400_000;
/** Pruning runs every this many results of a check, not on each one. */
const PRUNE_EVERY = 10;

export interface CheckEvent {
  readonly at: string;
  readonly from: Health;
  readonly to: Health;
  readonly since: string | null;
  readonly error: string | null;
}

type ResultRow = { at: string; ok: number | string; latency_ms: number | string; error: string | null; details: string | null };
type StateRow = {
  check_name: string;
  health: Health;
  since: string | null;
  failures_in_row: number | string;
  successes_in_row: number | string;
  failing_since: string | null;
  updated_at: string;
};
type EventRow = { at: string; from_health: Health; to_health: Health; since: string | null; error: string | null };

const fromResultRow = (row: ResultRow): CheckResult => ({
  at: row.at,
  ok: Number(row.ok) === 1,
  latencyMs: Number(row.latency_ms),
  ...(row.error === null ? {} : { error: row.error }),
  ...(row.details === null ? {} : { details: JSON.parse(row.details) as CheckDetails }),
});

const fromStateRow = (row: StateRow): CheckState => ({
  health: row.health,
  since: row.since,
  failuresInRow: Number(row.failures_in_row),
  successesInRow: Number(row.successes_in_row),
  failingSince: row.failing_since,
});

export class CheckStore {
  private readonly writes = new Map<string, number>();

  constructor(
    private readonly storage: Storage,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async record(name: string, result: CheckResult): Promise<void> {
    await this.storage.run('INSERT INTO check_results (id, check_name, at, ok, latency_ms, error, details) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      randomUUID(),
      name,
      result.at,
      result.ok ? 1 : 0,
      result.latencyMs,
      result.error ?? null,
      result.details ? JSON.stringify(result.details) : null,
    ]);
    const count = (this.writes.get(name) ?? 0) + 1;
    this.writes.set(name, count);
    if (count % PRUNE_EVERY === 1) await this.prune(name);
  }

  /** Drops results past the newest RESULTS_KEPT, and any older than RESULTS_MAX_AGE_MS. */
  async prune(name: string): Promise<void> {
    const cutoff = new Date(this.clock().getTime() - RESULTS_MAX_AGE_MS).toISOString();
    await this.storage.run(
      `DELETE FROM check_results WHERE check_name = ? AND (at < ? OR at < (
         SELECT at FROM check_results WHERE check_name = ? ORDER BY at DESC LIMIT 1 OFFSET ?))`,
      [name, cutoff, name, RESULTS_KEPT - 1],
    );
  }

  /** Newest first. */
  async history(name: string, limit: number): Promise<CheckResult[]> {
    const rows = await this.storage.all<ResultRow>(
      'SELECT at, ok, latency_ms, error, details FROM check_results WHERE check_name = ? ORDER BY at DESC LIMIT ?',
      [name, limit],
    );
    return rows.map(fromResultRow);
  }

  /** The stored state and when it was saved. */
  async state(name: string): Promise<{ state: CheckState; savedAt: string } | undefined> {
    const [row] = await this.storage.all<StateRow>('SELECT * FROM check_states WHERE check_name = ?', [name]);
    return row ? { state: fromStateRow(row), savedAt: row.updated_at } : undefined;
  }

  async states(): Promise<Map<string, CheckState>> {
    const rows = await this.storage.all<StateRow>('SELECT * FROM check_states');
    return new Map(rows.map((row) => [row.check_name, fromStateRow(row)]));
  }

  async saveState(name: string, state: CheckState, savedAt: string): Promise<void> {
    await this.storage.run(
      `INSERT INTO check_states (check_name, health, since, failures_in_row, successes_in_row, failing_since, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (check_name) DO UPDATE SET health = excluded.health, since = excluded.since,
         failures_in_row = excluded.failures_in_row, successes_in_row = excluded.successes_in_row,
         failing_since = excluded.failing_since, updated_at = excluded.updated_at`,
      [name, state.health, state.since, state.failuresInRow, state.successesInRow, state.failingSince, savedAt],
    );
  }

  async addEvent(name: string, transition: Transition, at: string, error: string | undefined): Promise<void> {
    await this.storage.run(
      'INSERT INTO check_events (id, check_name, at, from_health, to_health, since, error) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [randomUUID(), name, at, transition.from, transition.to, transition.since, error ?? null],
    );
  }

  /** State changes, newest first. */
  async events(name: string, limit: number): Promise<CheckEvent[]> {
    const rows = await this.storage.all<EventRow>(
      'SELECT at, from_health, to_health, since, error FROM check_events WHERE check_name = ? ORDER BY at DESC LIMIT ?',
      [name, limit],
    );
    return rows.map((row) => ({ at: row.at, from: row.from_health, to: row.to_health, since: row.since, error: row.error }));
  }
}
