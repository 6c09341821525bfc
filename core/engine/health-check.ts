/** The deploy health check: containers healthy, then the health URL answering 2xx as the server sees it. */
import { BerthError } from '../errors.js';
import { hostCommands } from '../commands/host.js';
import type { Executor } from '../exec/executor.js';
import { type ContainerState, judgeContainers, type WaitEvidence } from '../health/containers.js';
import { thenHealthUrl } from '../health/http-probe.js';
import { awaitsDockerVerdict, MAX_RUNS_IN_FLIGHT, OwnHealthchecks, runHealthcheck } from '../health/own-healthcheck.js';
import { type CheckVerdict, waitHealthy } from '../health/wait-healthy.js';
import { realSleep, type Sleep } from '../retry.js';
import type { Settings } from '../settings/settings.js';
import type { RemoteApp } from './remote-app.js';
import type { Reporter } from './reporter.js';

export interface HealthDeps {
  readonly reporter: Reporter;
  readonly sleep?: Sleep;
  readonly clock?: () => number;
  /** The run's cancel signal: the commands a wait runs on the server end with the run. */
  readonly signal?: AbortSignal;
}

/** How long before a wait a container's last exit still counts as part of a restart loop. */
export const RECENT_EXIT_MS = 60_000;

/**
 * What one wait for health remembers between polls: each container's restart count when
 * first seen, the server's clock when the wait began, and berth's own runs of the
 * healthchecks Docker has not run yet.
 */
export class HealthWatch {
  private readonly restartsAtStart = new Map<string, number>();
  private serverStartMs: Promise<number | undefined> | undefined;
  readonly ownChecks: OwnHealthchecks;

  constructor(
    private readonly executor: Executor,
    sleep: Sleep = realSleep,
    /** The run's cancel signal: what the wait runs on the server, and the health URL request, end with it. */
    readonly signal?: AbortSignal,
    /** Containers whose healthcheck passed when berth ran it earlier in this run. */
    passedBefore: Iterable<string> = [],
  ) {
    this.ownChecks = new OwnHealthchecks(
      (id, check, own) => runHealthcheck(executor, id, check, signal ? AbortSignal.any([own, signal]) : own),
      sleep,
      passedBefore,
    );
  }

  /** The server's clock when the wait began (read once; undefined when the server cannot say). */
  private started(): Promise<number | undefined> {
    this.serverStartMs ??= this.executor.run(hostCommands.clock(), this.signal ? { signal: this.signal } : {}).then(
      (result) => (result.code === 0 && /^\d+$/.test(result.stdout.trim()) ? Number(result.stdout.trim()) * 1000 : undefined),
      // Without the server's clock only restarts seen during the wait count.
      () => undefined,
    );
    return this.serverStartMs;
  }

  /** Reads the containers (and, the first time, the server's clock) and returns the evidence to judge them by. */
  async observe(read: () => Promise<ContainerState[]>): Promise<{ containers: ContainerState[]; evidence: WaitEvidence }> {
    const [containers, startMs] = await Promise.all([read(), this.started()]);
    for (const c of containers) if (!this.restartsAtStart.has(c.id)) this.restartsAtStart.set(c.id, c.restartCount);
    this.ownChecks.observe(containers);
    return {
      containers,
      evidence: {
        restartsAtStart: this.restartsAtStart,
        passedOwnCheck: this.ownChecks.passed,
        ...(startMs === undefined ? {} : { recentExitSinceMs: startMs - RECENT_EXIT_MS }),
      },
    };
  }

  stop(): void {
    this.ownChecks.stop();
  }
}

/**
 * Which containers and URL a health check judges: by default all the project's containers and
 * `health-url`. A blue-green deploy judges the new colour before the switch (without the old
 * colour's container, at the colour's own address), and through the proxy after it.
 */
export interface HealthScope {
  readonly pick?: (containers: ContainerState[]) => ContainerState[];
  /** The URL to fetch instead of `health-url`; null: none. */
  readonly url?: URL | null;
  /** Containers whose healthcheck passed when berth ran it earlier in this run (the new colour, at `ready`): not run again. */
  readonly passed?: ReadonlySet<string>;
}

/**
 * Containers healthy, then the health URL answering 2xx as the server sees it. With a watch
 * (a wait in progress), restarts during the wait fail and berth's own healthcheck runs count;
 * without one (a single look, as `status` takes), containers Docker still calls `starting`
 * get one run of their healthcheck.
 */
export async function checkHealth(
  app: RemoteApp,
  executor: Executor,
  settings: Settings,
  watch?: HealthWatch,
  scope: HealthScope = {},
): Promise<CheckVerdict & { containers?: ContainerState[] }> {
  const read = async (): Promise<ContainerState[]> => (scope.pick ?? ((all) => all))(await app.containers());
  const { containers, evidence } = watch ? await watch.observe(read) : await lookOnce(read, executor);
  const url = scope.url === undefined ? settings.health.url : (scope.url ?? undefined);
  return { ...(await thenHealthUrl(judgeContainers(containers, evidence), executor, url, watch?.signal)), containers };
}

/** The containers, and one run of the healthcheck of each that Docker still calls `starting` (a few at a time). */
async function lookOnce(
  read: () => Promise<ContainerState[]>,
  executor: Executor,
): Promise<{ containers: ContainerState[]; evidence: WaitEvidence }> {
  const containers = await read();
  const starting = containers.filter(awaitsDockerVerdict);
  const passed = new Set<string>();
  for (let at = 0; at < starting.length; at += MAX_RUNS_IN_FLIGHT) {
    await Promise.all(
      starting.slice(at, at + MAX_RUNS_IN_FLIGHT).map(async (c) => {
        if (await runHealthcheck(executor, c.id, c.healthcheck)) passed.add(c.id);
      }),
    );
  }
  return { containers, evidence: { passedOwnCheck: passed } };
}

/**
 * Waits for health; throws with the failing services' names on failure. The containers it
 * returns count as healthy where berth ran their healthcheck and it passed.
 */
export async function awaitHealthy(
  app: RemoteApp,
  executor: Executor,
  settings: Settings,
  deps: HealthDeps,
  scope: HealthScope = {},
): Promise<{ elapsedMs: number; containers: ContainerState[] }> {
  const sleep = deps.sleep ?? realSleep;
  const watch = new HealthWatch(executor, sleep, deps.signal, scope.passed);
  let containers: ContainerState[] = [];
  try {
    const result = await waitHealthy(
      async () => {
        const verdict = await checkHealth(app, executor, settings, watch, scope);
        containers = verdict.containers ?? containers;
        return verdict;
      },
      {
        timeoutMs: settings.health.timeoutMs,
        ...(deps.clock ? { clock: deps.clock } : {}),
        // A passing check of berth's own wakes the loop at once, whatever the poll interval.
        sleep: (ms) => Promise.race([sleep(ms), watch.ownChecks.nextPass()]),
        onWaiting: (reason) => deps.reporter.logger.info(`waiting: ${reason}`),
      },
    );
    if (!result.healthy)
      throw new HealthError(result.reason, result.services.length > 0 ? result.services : containers.map((c) => c.service));
    const ownPassed = containers.filter((c) => c.health === 'starting' && watch.ownChecks.passed.has(c.id));
    for (const c of ownPassed.filter((c) => !scope.passed?.has(c.id))) {
      deps.reporter.logger.info(`${c.service}: its healthcheck passed when berth ran it (Docker has not run it yet).`);
    }
    deps.reporter.logger.info(`Healthy after ${(result.elapsedMs / 1000).toFixed(1)}s.`);
    return { elapsedMs: result.elapsedMs, containers: containers.map((c) => (ownPassed.includes(c) ? { ...c, health: 'healthy' } : c)) };
  } finally {
    watch.stop();
  }
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
