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

/**
 * Every 250 ms for the first 10 s (a poll costs two docker calls, ~40 ms, so a healthy app
 * is seen within a quarter second), then every second.
 */
export function pollDelay(attempt: number): number {
  return attempt < 40 ? 250 : 1000;
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
