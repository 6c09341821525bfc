/** Which Docker Compose a machine has, asked through an executor (over SSH, or on this machine). */
import { type ComposeFlavor, composeProbes } from '../commands/compose.js';
import type { Executor } from '../exec/executor.js';

/** v2 when `docker compose` answers, else v1 when `docker-compose` is on PATH; undefined when neither. */
export async function detectCompose(executor: Executor, signal?: AbortSignal): Promise<ComposeFlavor | undefined> {
  for (const probe of composeProbes) {
    // Locally a missing binary rejects (ENOENT); over SSH it exits 127. Both mean "not this one" — unless the run was cancelled.
    const result = await executor.run(probe.argv, { signal }).catch((error: unknown) => {
      if (signal?.aborted) throw error;
      return undefined;
    });
    if (result?.code === 0) return probe.flavor;
  }
  return undefined;
}
