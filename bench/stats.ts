/** Medians and spreads for the benchmarks' summaries. */

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export const seconds = (ms: number): number => +(ms / 1000).toFixed(2);

/** Median and spread of times in ms, in seconds. */
export function stats(values: readonly number[]): Spread {
  return { median: seconds(median(values)), min: seconds(Math.min(...values)), max: seconds(Math.max(...values)) };
}

/** Ratios' median and spread, two decimals. */
export function ratioStats(ratios: readonly number[]): Spread {
  return { median: +median(ratios).toFixed(2), min: +Math.min(...ratios).toFixed(2), max: +Math.max(...ratios).toFixed(2) };
}

/** `1.69 s (1.66–1.78 s)` or, for ratios, `0.35× (0.34–0.36×)`. */
export function showSpread(spread: Spread, unit: 's' | '×'): string {
  const u = unit === 's' ? ' s' : '×';
  return `${spread.median}${u} (${spread.min}–${spread.max}${u})`;
}
