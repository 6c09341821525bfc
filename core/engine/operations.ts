/** The manual commands: rollback, restart, logs, status. Each connects, acts, and reports an Outcome. */
import { BerthError } from '../errors.js';
import type { Executor } from '../exec/executor.js';
import { servicesSummary } from '../health/containers.js';
import { acquireLock } from '../release/deploy-lock.js';
import { lastGood, newRelease, type Release, transition } from '../release/release.js';
import { ReleaseStore } from '../release/release-store.js';
import type { Settings } from '../settings/settings.js';
import { type DeployDeps, StepError } from './deploy.js';
import { type Outcome, outcomeOf } from './outcome.js';
import { awaitHealthy, checkHealth } from './health-check.js';
import { restoreRelease } from './restore-release.js';
import { RemoteApp } from './remote-app.js';
import { liveOutput } from './reporter.js';

async function withApp(
  settings: Settings,
  deps: DeployDeps,
  fn: (app: RemoteApp, executor: Executor) => Promise<Outcome>,
): Promise<Outcome> {
  let executor: Executor;
  try {
    executor = await deps.connect();
  } catch (error) {
    return outcomeOf({ status: 'failed', failedStep: 'connect', error: new StepError('connect', error).message });
  }
  try {
    return await fn(new RemoteApp(executor, settings.app, liveOutput(deps.reporter)), executor);
  } catch (error) {
    const failed = error instanceof StepError ? error : new StepError('up', error);
    return outcomeOf({ status: 'failed', failedStep: failed.step, error: failed.message });
  } finally {
    await executor.close();
  }
}

/** The services' state, the commit running and the recent releases. */
export function status(settings: Settings, deps: DeployDeps): Promise<Outcome> {
  return withApp(settings, deps, async (app, executor) => {
    const head = await app.head();
    const store = new ReleaseStore(executor, await app.stateDir());
    const history = await store.list();
    const verdict = await checkHealth(app, executor, settings);
    const log = deps.reporter.logger;
    log.info(`Commit checked out: ${head ?? 'none'}`);
    for (const c of verdict.containers ?? [])
      log.info(`  ${c.service.padEnd(20)} ${c.state}${c.health ? ` (${c.health})` : ''}  ${c.image}`);
    log.info(`Health: ${verdict.kind === 'healthy' ? 'healthy' : verdict.reason}`);
    for (const r of history.slice(-5).reverse()) {
      log.info(
        `  ${r.id}  ${r.state.padEnd(11)} ${r.commit?.slice(0, 12) ?? '-'}  ${r.ref}${r.failedStep ? `  (failed at ${r.failedStep})` : ''}`,
      );
    }
    const last = history.at(-1);
    return outcomeOf({
      status: verdict.kind === 'healthy' ? 'succeeded' : 'failed',
      release: last,
      deployedRef: head,
      services: servicesSummary(verdict.containers ?? []),
      ...(verdict.kind === 'healthy' ? {} : { failedStep: 'health', error: verdict.reason }),
    });
  });
}

/** The last log lines of the chosen services, streamed. */
export function logs(settings: Settings, deps: DeployDeps): Promise<Outcome> {
  return withApp(settings, deps, async (app) => {
    await app.logs(settings.app.services, settings.logLines);
    return outcomeOf({ status: 'succeeded', deployedRef: await app.head() });
  });
}

/** Restarts the chosen services (all when none) and waits until they are healthy. */
export function restart(settings: Settings, deps: DeployDeps): Promise<Outcome> {
  return withApp(settings, deps, async (app, executor) => {
    await deps.reporter.group('Restart', () => app.restart(settings.app.services));
    const containers = await deps.reporter.group('Health check', () =>
      awaitHealthy(app, executor, settings, deps).then(
        (healthy) => healthy.containers,
        (error: unknown) => {
          throw new StepError('health', error);
        },
      ),
    );
    return outcomeOf({ status: 'succeeded', deployedRef: await app.head(), services: servicesSummary(containers) });
  });
}

/** Puts back a commit (`ref`) or the previous good release, from kept images when they exist. */
export function rollback(settings: Settings, deps: DeployDeps): Promise<Outcome> {
  return withApp(settings, deps, async (app, executor) => {
    const stateDir = await app.stateDir();
    const unlock = await acquireLock(executor, `${stateDir}/lock`, {
      timeoutMs: settings.lockTimeoutMs,
      owner: `${deps.owner} (rollback)`,
    });
    try {
      const store = new ReleaseStore(executor, stateDir);
      const history = await store.list();
      const current = await app.head();
      let target: Release | undefined;
      if (settings.ref) {
        await app.fetch();
        const commit = await app.resolve(settings.ref);
        target = [...history].reverse().find((r) => r.commit === commit && r.state === 'succeeded') ?? {
          ...newRelease(settings.ref, undefined),
          commit,
        };
      } else {
        target = lastGood(history, current);
      }
      if (!target?.commit) {
        throw new StepError(
          'rollback',
          new BerthError('There is no previous good release to roll back to.', 'Give the commit to roll back to as ref.'),
        );
      }
      let release = transition(newRelease(settings.ref ?? target.commit, current), 'in_progress', {
        commit: target.commit,
        rolledBackFrom: current,
      });
      await store.save(release);
      const targetRelease = target;
      try {
        const containers = await deps.reporter.group(`Roll back to ${target.commit.slice(0, 12)}`, () =>
          restoreRelease(app, executor, settings, targetRelease, deps),
        );
        release = transition(release, 'succeeded', { images: targetRelease.images, imageNames: targetRelease.imageNames });
        await store.save(release);
        return outcomeOf({
          status: 'rolled_back',
          release,
          deployedRef: target.commit,
          previousRef: current,
          services: servicesSummary(containers),
        });
      } catch (error) {
        release = transition(release, 'failed', { failedStep: 'rollback', error: (error as Error).message });
        await store.save(release);
        throw new StepError('rollback', error);
      }
    } finally {
      await unlock();
    }
  });
}
