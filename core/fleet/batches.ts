/** Work on several hosts, a few at a time. */

/**
 * Runs `batch` on the items `size` at a time, in their order. After a batch, stops when `goOn` says
 * no (the items already running always finish). Returns the results in the items' order, of those
 * that ran.
 */
export async function inBatches<T, R>(
  items: readonly T[],
  size: number,
  batch: (items: readonly T[]) => Promise<readonly R[]>,
  goOn: (batch: readonly R[]) => boolean,
): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) {
    const done = await batch(items.slice(start, start + size));
    results.push(...done);
    if (!goOn(done)) break;
  }
  return results;
}
