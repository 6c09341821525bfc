/** Polls a health check until it passes, fails for good, or the deadline passes. Time is injected. */
import { realSleep, type Sleep } from '../retry.js';

export type CheckVerdict =
  | { readonly kind: 'healthy' }
  | { readonly kind: 'waiting'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string; readonly services?: readonly string[] };

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly clock?: () => number;
  readonly sleep?: Sleep;
  /** Called when the reason for waiting changes, for live progress. */
  readonly onWaiting?: (reason: string) => void;
}

export type WaitResult =
  | { readonly healthy: true; readonly elapsedMs: number }
  | { readonly healthy: false; readonly elapsedMs: number; readonly reason: string; readonly services: readonly string[] };

/** Short intervals first (a healthy app is seen at once), growing to 2 s. */
export function pollDelay(attempt: number): number {
  return Math.min(2000, 250 * 2 ** Math.min(attempt, 3));
}

export async function waitHealthy(check: () => Promise<CheckVerdict>, options: WaitOptions): Promise<WaitResult> {
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const started = clock();
  let lastReason = '';
  for (let attempt = 0; ; attempt++) {
    const verdict = await check();
    const elapsedMs = clock() - started;
    if (verdict.kind === 'healthy') return { healthy: true, elapsedMs };
    if (verdict.kind === 'failed') return { healthy: false, elapsedMs, reason: verdict.reason, services: verdict.services ?? [] };
    if (verdict.reason !== lastReason) options.onWaiting?.(verdict.reason);
    lastReason = verdict.reason;
    if (elapsedMs >= options.timeoutMs) {
      return {
        healthy: false,
        elapsedMs,
        reason: `not healthy after ${Math.round(options.timeoutMs / 1000)}s: ${verdict.reason}`,
        services: [],
      };
    }
    await sleep(Math.min(pollDelay(attempt), Math.max(0, options.timeoutMs - elapsedMs)));
  }
}
