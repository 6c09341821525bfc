/** A 20 Hz HTTP probe: counts the requests that fail while a deploy runs. */

export interface ProbeCounts {
  readonly sent: number;
  readonly failed: number;
  /** Each failed request: when it was sent (ISO time) and how it failed. */
  readonly failures: readonly string[];
}

/**
 * `timeoutMs`: how long one request may take before it counts as failed (a test on a loaded machine gives
 * more: what it counts is refused or 5xx requests, not slow ones).
 */
export function startProbe(url: string, hz = 20, timeoutMs = 1000): { stop(): Promise<ProbeCounts> } {
  let sent = 0;
  let failed = 0;
  const failures: string[] = [];
  const fail = (at: string, how: string): void => {
    failed++;
    failures.push(`${at} ${how}`);
  };
  const pending = new Set<Promise<void>>();
  const timer = setInterval(() => {
    sent++;
    const at = new Date().toISOString();
    const request = fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
      .then(async (response) => {
        await response.arrayBuffer();
        if (!response.ok) fail(at, `answered ${response.status}`);
      })
      .catch((error: unknown) => {
        fail(at, String((error as Error & { cause?: Error }).cause ?? error));
      })
      .finally(() => pending.delete(request));
    pending.add(request);
  }, 1000 / hz);
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all(pending);
      return { sent, failed, failures };
    },
  };
}
