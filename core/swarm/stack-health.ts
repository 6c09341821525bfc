/** The stack's health check: every service converged (see convergence.ts), then the health URL answering 2xx. */
import { HealthError, type HealthDeps } from '../engine/health-check.js';
import { CommandFailedError, describeError } from '../errors.js';
import type { Executor } from '../exec/executor.js';
import { thenHealthUrl } from '../health/http-probe.js';
import { type CheckVerdict, waitHealthy } from '../health/wait-healthy.js';
import type { Settings } from '../settings/settings.js';
import { type JudgeOptions, judgeStack } from './convergence.js';
import type { StackState } from './stack-state.js';
import type { SwarmApp } from './swarm-app.js';

export type StackCheck = CheckVerdict & { readonly state: StackState | undefined };

/** One look at the stack: converged, then the health URL as the manager node sees it. */
export async function checkStack(app: SwarmApp, executor: Executor, settings: Settings, options: JudgeOptions): Promise<StackCheck> {
  let state: StackState;
  try {
    state = await app.state();
  } catch (error) {
    // A service removed between listing and inspecting it (--prune) fails one read; the next one sees the new state.
    const why = error instanceof CommandFailedError ? error.stderrTail.trim() || `exit code ${error.code}` : describeError(error);
    return { kind: 'waiting', reason: `cannot read the stack: ${why}`, state: undefined };
  }
  return { ...(await thenHealthUrl(judgeStack(state, options), executor, settings.health.url)), state };
}

/** Waits until the stack converged and answers; throws a HealthError naming the failing services otherwise. */
export async function awaitStack(
  app: SwarmApp,
  executor: Executor,
  settings: Settings,
  deps: HealthDeps,
  options: JudgeOptions,
): Promise<{ elapsedMs: number; state: StackState }> {
  let state: StackState = { services: [], tasks: [] };
  const result = await waitHealthy(
    async () => {
      const check = await checkStack(app, executor, settings, options);
      state = check.state ?? state;
      return check;
    },
    {
      timeoutMs: settings.health.timeoutMs,
      ...(deps.clock ? { clock: deps.clock } : {}),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      onWaiting: (reason) => deps.reporter.logger.info(`waiting: ${reason}`),
    },
  );
  if (!result.healthy) {
    const services = result.services.length > 0 ? result.services : state.services.map((s) => s.service);
    throw new HealthError(result.reason, services);
  }
  deps.reporter.logger.info(`Converged after ${(result.elapsedMs / 1000).toFixed(1)}s.`);
  return { elapsedMs: result.elapsedMs, state };
}
