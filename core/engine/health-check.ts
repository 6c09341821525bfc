/** The deploy health check: containers healthy, then the health URL answering 2xx as the server sees it. */
import { BerthError } from '../errors.js';
import type { Executor } from '../exec/executor.js';
import { type ContainerState, judgeContainers } from '../health/containers.js';
import { probeHttp } from '../health/http-probe.js';
import { type CheckVerdict, waitHealthy } from '../health/wait-healthy.js';
import type { Sleep } from '../retry.js';
import type { Settings } from '../settings/settings.js';
import type { RemoteApp } from './remote-app.js';
import type { Reporter } from './reporter.js';

const HTTP_TIMEOUT_MS = 5000;

export interface HealthDeps {
  readonly reporter: Reporter;
  readonly sleep?: Sleep;
  readonly clock?: () => number;
}

/** Containers healthy, then the health URL answering 2xx as the server sees it. */
export async function checkHealth(
  app: RemoteApp,
  executor: Executor,
  settings: Settings,
): Promise<CheckVerdict & { containers?: ContainerState[] }> {
  const containers = await app.containers();
  const verdict = judgeContainers(containers);
  if (verdict.kind !== 'healthy' || !settings.health.url) return { ...verdict, containers };
  const probe = await probeHttp(executor, settings.health.url, HTTP_TIMEOUT_MS);
  return probe.ok ? { kind: 'healthy', containers } : { kind: 'waiting', reason: probe.reason, containers };
}

/** Waits for health; throws with the failing services' names on failure. */
export async function awaitHealthy(
  app: RemoteApp,
  executor: Executor,
  settings: Settings,
  deps: HealthDeps,
): Promise<{ elapsedMs: number; containers: ContainerState[] }> {
  let containers: ContainerState[] = [];
  const result = await waitHealthy(
    async () => {
      const verdict = await checkHealth(app, executor, settings);
      containers = verdict.containers ?? containers;
      return verdict;
    },
    {
      timeoutMs: settings.health.timeoutMs,
      ...(deps.clock ? { clock: deps.clock } : {}),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      onWaiting: (reason) => deps.reporter.logger.info(`waiting: ${reason}`),
    },
  );
  if (!result.healthy)
    throw new HealthError(result.reason, result.services.length > 0 ? result.services : containers.map((c) => c.service));
  deps.reporter.logger.info(`Healthy after ${(result.elapsedMs / 1000).toFixed(1)}s.`);
  return { elapsedMs: result.elapsedMs, containers };
}

export class HealthError extends BerthError {
  override readonly name = 'HealthError';
  constructor(
    reason: string,
    readonly services: readonly string[],
  ) {
    super(`Health check failed: ${reason}`);
  }
}
