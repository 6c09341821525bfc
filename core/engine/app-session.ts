/**
 * One connected run on the app: the executor, the app's commands and the health check, all under the
 * run's context; and the deploy lock with the release history it guards, shared by every command
 * that changes what runs.
 */
import type { Executor } from '../exec/executor.js';
import { acquireLock } from '../release/deploy-lock.js';
import { type Release, type Running, whatRuns } from '../release/release.js';
import { ReleaseStore } from '../release/release-store.js';
import { realSleep } from '../retry.js';
import { type RunContext, sleepUnder } from '../run-context.js';
import type { Settings } from '../settings/settings.js';
import { SwarmApp } from '../swarm/swarm-app.js';
import { SwarmRuntime } from '../swarm/swarm-runtime.js';
import type { AppRuntime } from './app-runtime.js';
import { ComposeRuntime } from './compose-runtime.js';
import type { EngineDeps } from './engine-deps.js';
import type { HealthDeps } from './health-check.js';
import { RemoteApp } from './remote-app.js';
import { liveOutput } from './reporter.js';
import type { Steps } from './steps.js';

export interface AppSession {
  readonly executor: Executor;
  /** The app's checkout on the server: state directory, fetch, checkout, what is checked out. */
  readonly app: RemoteApp;
  /** How the app runs: Compose on the host, or a Swarm stack. */
  readonly runtime: AppRuntime;
  readonly context: RunContext;
  /** What health checks poll with: the run's clock and a sleep that ends when the run is cancelled. */
  readonly health: HealthDeps;
}

/** The connect step: nothing reaches the server before it. */
export function connectStep(settings: Settings, deps: EngineDeps, steps: Steps): Promise<Executor> {
  const { username, host, port } = settings.ssh;
  return steps.run('connect', `Connect to ${username}@${host}:${port}`, deps.connect);
}

/** The app on a connected executor, every command of it under `context`. */
export function openSession(executor: Executor, settings: Settings, deps: EngineDeps, context: RunContext): AppSession {
  const sleep = sleepUnder(deps.sleep ?? realSleep, context.signal);
  const options = { live: liveOutput(deps.reporter), signal: context.signal };
  const app = new RemoteApp(executor, settings.app, options);
  const health: HealthDeps = { reporter: deps.reporter, sleep, signal: context.signal, ...(deps.clock ? { clock: deps.clock } : {}) };
  const { orchestrator } = settings;
  const runtime =
    orchestrator.kind === 'swarm'
      ? new SwarmRuntime(app, new SwarmApp(executor, settings.app, orchestrator, options), executor, settings, health)
      : new ComposeRuntime(app, executor, settings, health);
  return { executor, app, runtime, context, health };
}

export interface AppState {
  readonly history: Release[];
  /** What runs, as the release history says. */
  readonly running: Running;
  /** The commit checked out, which a build in progress or a killed run may have moved. */
  readonly checkedOut: string | undefined;
}

/** The release history, what runs and what is checked out. Reads only; takes no lock. */
export async function readAppState(session: AppSession, store?: ReleaseStore): Promise<AppState> {
  const { app, executor, context } = session;
  const history = await (store ?? new ReleaseStore(executor, await app.stateDir(), context.signal)).list();
  const checkedOut = await app.head();
  return { history, running: whatRuns(history, checkedOut), checkedOut };
}

export interface LockedApp {
  readonly store: ReleaseStore;
  /** Releases the lock; never rejects. */
  readonly unlock: () => Promise<void>;
}

/** Takes the app's deploy lock (waiting up to `lock-timeout`) and opens its release history. */
export async function lockApp(session: AppSession, settings: Settings, deps: EngineDeps, purpose: string): Promise<LockedApp> {
  const { executor, context } = session;
  const stateDir = await session.app.stateDir();
  const clock = deps.clock ?? Date.now;
  const release = await acquireLock(executor, `${stateDir}/lock`, {
    timeoutMs: settings.lockTimeoutMs,
    owner: `${deps.owner}${purpose === 'deploy' ? '' : ` (${purpose})`} at ${new Date(clock()).toISOString()}`,
    signal: context.signal,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    ...(deps.clock ? { clock: deps.clock } : {}),
    onWait: (holder) => deps.reporter.logger.info(`Waiting for another run to finish: ${holder}`),
  });
  return {
    store: new ReleaseStore(executor, stateDir, context.signal),
    // The lock also ends with the connection, so a failed release only delays it until close.
    unlock: () => release().catch(() => undefined),
  };
}
