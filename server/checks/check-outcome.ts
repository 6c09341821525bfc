/** What one run of a check found, and the shape every check type's probe has. */
import type { CheckDetails } from '../alerts/alert-events.js';
import type { CheckConfig } from '../config/server-config.js';

export interface CheckOutcome {
  readonly ok: boolean;
  /** Why it failed: one line, no secrets. */
  readonly error?: string | undefined;
  readonly details?: CheckDetails | undefined;
}

export interface CheckResult extends CheckOutcome {
  readonly at: string;
  readonly latencyMs: number;
}

/** Probes one target. Honours `signal` (the check's timeout); resolves, never rejects, for a target's failure. */
export type Probe<C extends CheckConfig = CheckConfig> = (config: C, signal: AbortSignal) => Promise<CheckOutcome>;

export const passed: CheckOutcome = { ok: true };

export function failed(error: string, details?: CheckDetails): CheckOutcome {
  return details ? { ok: false, error, details } : { ok: false, error };
}

/** A URL for messages: without its password. */
export function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}

/** The reason an aborted or failed operation gives, as one line. */
export function reason(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  return cause ? `${e?.message ?? 'failed'} (${cause})` : (e?.message ?? String(error));
}
