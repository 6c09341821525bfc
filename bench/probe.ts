/** A 20 Hz HTTP probe: counts the requests that fail while a deploy runs. */

export interface ProbeCounts {
  readonly sent: number;
  readonly failed: number;
}

export function startProbe(url: string, hz = 20): { stop(): Promise<ProbeCounts> } {
  let sent = 0;
  let failed = 0;
  const pending = new Set<Promise<void>>();
  const timer = setInterval(() => {
    sent++;
    const request = fetch(url, { signal: AbortSignal.timeout(1000) })
      .then(async (response) => {
        await response.arrayBuffer();
        if (!response.ok) failed++;
      })
      .catch(() => {
        failed++;
      })
      .finally(() => pending.delete(request));
    pending.add(request);
  }, 1000 / hz);
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all(pending);
      return { sent, failed };
    },
  };
}
