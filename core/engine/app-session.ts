/**
 * One connected run on the app: the executor, the app's commands and the health check, all under the
 * run's context; and the deploy lock with the release history it guards, shared by every command
 * that changes what runs.
 */
import type { Executor } from '../exec/executor.js';
import { acquireLock, tryLockNow } from '../release/deploy-lock.js';
import { markInterrupted, type Release, type Running, whatRuns } from '../release/release.js';
import { ReleaseStore } from '../release/release-store.js';
import { realSleep } from '../retry.js';
import { type RunContext, sleepUnder } from '../run-context.js';
import type { Settings } from '../settings/settings.js';
import { BlueGreenRuntime } from '../bluegreen/blue-green-runtime.js';
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
  return steps.run('connect', `Connect to ${username}@${host}:${port}`, () => deps.connect(settings.ssh));
}

/** The app on a connected executor, every command of it under `context`. */
export function openSession(executor: Executor, settings: Settings, deps: EngineDeps, context: RunContext): AppSession {
  return sessionOf(executor, new RemoteApp(executor, settings.app, appOptions(deps, context)), settings, deps, context);
}

/**
 * The same connected app under another context (what its checkout learnt kept): a stopped run's
 * clean-up runs under its own grace.
 */
export function sessionUnder(session: AppSession, settings: Settings, deps: EngineDeps, context: RunContext): AppSession {
  const under = sessionOf(session.executor, session.app.withSignal(context.signal), settings, deps, context);
  const runtime = session.runtime.under?.(under.app, under.health);
  return runtime ? { ...under, runtime } : under;
}

function appOptions(deps: EngineDeps, context: RunContext) {
  return { live: liveOutput(deps.reporter), signal: context.signal };
}

function sessionOf(executor: Executor, app: RemoteApp, settings: Settings, deps: EngineDeps, context: RunContext): AppSession {
  const sleep = sleepUnder(deps.sleep ?? realSleep, context.signal);
  const health: HealthDeps = { reporter: deps.reporter, sleep, signal: context.signal, ...(deps.clock ? { clock: deps.clock } : {}) };
  const { orchestrator } = settings;
  const { strategy } = settings;
  const runtime =
    orchestrator.kind === 'swarm'
      ? new SwarmRuntime(app, new SwarmApp(executor, settings.app, orchestrator, appOptions(deps, context)), executor, settings, health)
      : strategy.kind === 'blue-green'
        ? new BlueGreenRuntime(app, executor, settings, strategy, health)
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

/**
 * The release history, what runs and what is checked out. Takes no lock: reads the history from
 * `store` (a command that holds the lock), or settles it first (`status`: see settledHistory).
 */
export async function readAppState(session: AppSession, from: ReleaseStore | Pick<EngineDeps, 'reporter' | 'owner'>): Promise<AppState> {
  const history = await (from instanceof ReleaseStore ? from.list() : settledHistory(session, from));
  const checkedOut = await session.app.head();
  return { history, running: whatRuns(history, checkedOut), checkedOut };
}

export interface LockedApp {
  readonly store: ReleaseStore;
  /** The release history when the lock was taken, releases a dead run left in progress marked interrupted. */
  readonly history: Release[];
  /** Releases the lock; never rejects. */
  readonly unlock: () => Promise<void>;
}

/**
 * Takes the app's deploy lock, in the order the runs asked (waiting up to `lock-timeout`), opens its
 * release history, and marks failed what a dead run left in progress (holding the lock proves it gone).
 */
export async function lockApp(session: AppSession, settings: Settings, deps: EngineDeps, purpose: string): Promise<LockedApp> {
  const { executor, context } = session;
  const stateDir = await session.app.stateDir();
  const owner = `${deps.owner}${purpose === 'deploy' ? '' : ` (${purpose})`} at ${new Date((deps.clock ?? Date.now)()).toISOString()}`;
  const release = await acquireLock(executor, `${stateDir}/lock`, {
    timeoutMs: settings.lockTimeoutMs,
    owner,
    signal: context.signal,
    onWait: (holder) => deps.reporter.logger.info(`Waiting for another run to finish: ${holder}`),
  });
  // The lock also ends with the connection, so a failed release only delays it until close.
  const unlock = (): Promise<void> => release().catch(() => undefined);
  try {
    const store = new ReleaseStore(executor, stateDir, context.signal);
    return { store, history: await repairInterrupted(store, owner, deps), unlock };
  } catch (error) {
    await unlock();
    throw error;
  }
}

/** Marks failed (`interrupted`) the releases a dead run left in progress; returns the history as it now is. */
export async function repairInterrupted(store: ReleaseStore, foundBy: string, deps: Pick<EngineDeps, 'reporter'>): Promise<Release[]> {
  const history = await store.list();
  const repaired = markInterrupted(history, foundBy);
  if (repaired.length === 0) return history;
  for (const r of repaired)
    deps.reporter.logger.warn(`Release ${r.id} (${r.ref}) was left in progress by a run that is gone: marked failed.`);
  return store.saveAll(repaired);
}

/**
 * The release history as it is: a release a run that is gone left in progress is marked failed
 * (`interrupted`). Waits for nothing: it writes only when it can take the lock at once, which proves
 * no run is alive; while a run holds the lock, its release stays in progress, as it is.
 */
export async function settledHistory(session: AppSession, deps: Pick<EngineDeps, 'reporter' | 'owner'>): Promise<Release[]> {
  const { app, executor, context } = session;
  const stateDir = await app.stateDir();
  const store = new ReleaseStore(executor, stateDir, context.signal);
  const history = await store.list();
  if (markInterrupted(history, '').length === 0) return history;
  const owner = `${deps.owner} (status)`;
  const release = await tryLockNow(executor, `${stateDir}/lock`, owner, context.signal);
  if (!release) return history;
  try {
    return await repairInterrupted(store, owner, deps);
  } finally {
    await release();
  }
}
