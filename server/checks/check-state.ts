/**
 * A check's health as a pure state machine: it goes down only after `failures` failures in a row
 * and up again only after `successes` passes in a row, so one slow answer pages nobody.
 */

export type Health = 'unknown' | 'up' | 'down';

export interface CheckState {
  readonly health: Health;
  /** When the current health began; null while unknown. */
  readonly since: string | null;
  readonly failuresInRow: number;
  readonly successesInRow: number;
  /** When the current run of failures began: a down check is down since then. */
  readonly failingSince: string | null;
}

export const INITIAL_STATE: CheckState = { health: 'unknown', since: null, failuresInRow: 0, successesInRow: 0, failingSince: null };

export interface Thresholds {
  readonly failures: number;
  readonly successes: number;
}

export interface Transition {
  readonly from: Health;
  readonly to: Health;
  /** For down: when the failures began. For up after down: when it went down. */
  readonly since: string;
}

/** The state after one result, and the transition when the health changed. */
export function advance(state: CheckState, ok: boolean, at: string, limits: Thresholds): { state: CheckState; transition?: Transition } {
  const failuresInRow = ok ? 0 : state.failuresInRow + 1;
  const successesInRow = ok ? state.successesInRow + 1 : 0;
  const failingSince = ok ? null : (state.failingSince ?? at);
  const counted = { failuresInRow, successesInRow, failingSince };
  if (!ok && state.health !== 'down' && failuresInRow >= limits.failures) {
    const since = failingSince ?? at;
    return { state: { health: 'down', since, ...counted }, transition: { from: state.health, to: 'down', since } };
  }
  if (ok && state.health !== 'up' && successesInRow >= limits.successes) {
    const transition = { from: state.health, to: 'up' as const, since: state.since ?? at };
    return { state: { health: 'up', since: at, ...counted }, transition };
  }
  return { state: { ...state, ...counted } };
}
