/**
 * The push path: lint → connect → lock → fetch → build → up → health, and on failure
 * the failing services' logs and a rollback to the previous good release.
 */
import { BerthError, describeError } from '../errors.js';
import type { Executor } from '../exec/executor.js';
import { type ContainerState, servicesSummary } from '../health/containers.js';
import { acquireLock } from '../release/deploy-lock.js';
import { lastGood, newRelease, type Release, type StepName, type StepRecord, transition } from '../release/release.js';
import { ReleaseStore } from '../release/release-store.js';
import type { Sleep } from '../retry.js';
import type { Settings } from '../settings/settings.js';
import { awaitHealthy, HealthError } from './health-check.js';
import { BuildFailedError, RemoteApp } from './remote-app.js';
import { restoreRelease } from './restore-release.js';
import { type Outcome, type OutcomeFields, outcomeOf } from './outcome.js';
import { liveOutput, type Reporter } from './reporter.js';

export type { DeployStatus, Outcome } from './outcome.js';

export interface DeployDeps {
  readonly reporter: Reporter;
  readonly connect: () => Promise<Executor>;
  /** Runs the lint command on the runner; rejects when it fails. */
  readonly lint: (command: string) => Promise<void>;
  /** Who is deploying, recorded in the lock. */
  readonly owner: string;
  readonly sleep?: Sleep;
  readonly clock?: () => number;
}

/** Good releases whose images are kept for an instant rollback. */
export const KEPT_RELEASES = 5;

/** An error that remembers the step it failed in. */
export class StepError extends BerthError {
  override readonly name = 'StepError';
  constructor(
    readonly step: StepName,
    override readonly cause: unknown,
  ) {
    super(describeError(cause));
  }
}

/** Runs steps with timing and records each result. */
class Steps {
  readonly records: StepRecord[] = [];
  constructor(
    private readonly reporter: Reporter,
    private readonly clock: () => number,
  ) {}

  async run<T>(name: StepName, title: string, fn: () => Promise<T>): Promise<T> {
    const started = this.clock();
    try {
      const value = await this.reporter.group(title, fn);
      this.records.push({ name, result: 'succeeded', durationMs: this.clock() - started });
      return value;
    } catch (error) {
      const failed = error instanceof StepError ? error : new StepError(name, error);
      this.records.push({ name: failed.step, result: 'failed', durationMs: this.clock() - started });
      throw failed;
    }
  }
}

function imagesOf(containers: readonly ContainerState[]): { images: Record<string, string>; imageNames: Record<string, string> } {
  const images: Record<string, string> = {};
  const imageNames: Record<string, string> = {};
  for (const c of containers) {
    images[c.service] = c.imageId;
    imageNames[c.service] = c.image;
  }
  return { images, imageNames };
}

/** The whole push path. Never throws for a failed deploy: the outcome says what happened. */
export async function deploy(settings: Settings, deps: DeployDeps): Promise<Outcome> {
  const clock = deps.clock ?? Date.now;
  const steps = new Steps(deps.reporter, clock);
  const log = deps.reporter.logger;
  const ref = settings.ref ?? 'HEAD';
  const outcome = (partial: OutcomeFields): Outcome => outcomeOf({ steps: steps.records, ...partial });

  let executor: Executor;
  try {
    if (settings.lintCommand) {
      const command = settings.lintCommand;
      await steps.run('lint', 'Lint', () => deps.lint(command));
    }
    executor = await steps.run('connect', `Connect to ${settings.ssh.username}@${settings.ssh.host}:${settings.ssh.port}`, deps.connect);
  } catch (error) {
    const failed = error as StepError;
    return outcome({ status: 'failed', failedStep: failed.step, error: failed.message });
  }

  const app = new RemoteApp(executor, settings.app, liveOutput(deps.reporter));
  let releaseLock: (() => Promise<void>) | undefined;
  let release: Release | undefined;
  let store: ReleaseStore | undefined;
  let previousCommit: string | undefined;
  try {
    try {
      await steps.run('lock', 'Prepare the server', async () => {
        const stateDir = await app.stateDir();
        releaseLock = await acquireLock(executor, `${stateDir}/lock`, {
          timeoutMs: settings.lockTimeoutMs,
          owner: `${deps.owner} at ${new Date(clock()).toISOString()}`,
          ...(deps.sleep ? { sleep: deps.sleep } : {}),
          ...(deps.clock ? { clock: deps.clock } : {}),
          onWait: (holder) => log.info(`Waiting for another run to finish: ${holder}`),
        });
        store = new ReleaseStore(executor, stateDir);
        previousCommit = await app.head();
        release = transition(newRelease(ref, previousCommit), 'in_progress');
        await store.save(release);
        log.info(`Release ${release.id}: ${ref} (running now: ${previousCommit?.slice(0, 12) ?? 'nothing'})`);
      });
      const commit = await steps.run('fetch', `Fetch and check out ${ref}`, async () => {
        await app.fetch();
        const resolved = await app.resolve(ref);
        await app.checkout(resolved);
        log.info(`Checked out ${resolved}.`);
        return resolved;
      });
      release = { ...(release as Release), commit };
      await steps.run('build', 'Pull images', () => app.pull());
      await steps.run('up', 'Build and start the new version', async () => {
        // Learning the project's label meanwhile lets health polls ask docker directly, not Compose.
        await Promise.all([
          app.buildAndUp().catch((error: unknown) => {
            throw error instanceof BuildFailedError ? new StepError('build', error.original) : error;
          }),
          app.learnProject(),
        ]);
      });
      const healthy = await steps.run('health', 'Health check', () => awaitHealthy(app, executor, settings, deps));
      release = transition(release, 'succeeded', { steps: steps.records, ...imagesOf(healthy.containers) });
      const history = (await store?.save(release)) ?? [];
      const recentGood = history.filter((r) => r.state === 'succeeded' && r.commit).slice(-KEPT_RELEASES);
      await app.keepImages(
        healthy.containers,
        commit,
        recentGood.map((r) => r.commit ?? ''),
      );
      await app.pruneDangling();
      return outcome({
        status: 'succeeded',
        release,
        deployedRef: commit,
        previousRef: previousCommit,
        services: servicesSummary(healthy.containers),
        healthyAfterMs: healthy.elapsedMs,
      });
    } catch (error) {
      const failed = error instanceof StepError ? error : new StepError('up', error);
      log.error(`${failed.step} failed: ${failed.message}`);
      const failingServices = failed.cause instanceof HealthError ? failed.cause.services : [];
      if (['build', 'up', 'health'].includes(failed.step)) {
        await deps.reporter.group(
          `Logs of ${failingServices.length ? failingServices.join(', ') : 'all services'} (last ${settings.logLines} lines)`,
          async () => {
            await app.logs(failingServices, settings.logLines).catch(() => undefined);
          },
        );
      }
      if (!release || !store)
        return outcome({ status: 'failed', failedStep: failed.step, error: failed.message, previousRef: previousCommit });
      release = transition(release, 'failed', { failedStep: failed.step, error: failed.message, steps: steps.records });
      const history = await store.save(release);
      const target =
        lastGood(history, release.commit) ??
        (previousCommit && previousCommit !== release.commit ? pseudoRelease(previousCommit) : undefined);
      if (!settings.rollbackOnFailure || !target || failed.step === 'fetch') {
        if (failed.step === 'fetch' && previousCommit) await app.checkout(previousCommit).catch(() => undefined);
        return outcome({ status: 'failed', release, failedStep: failed.step, error: failed.message, previousRef: previousCommit });
      }
      try {
        const containers = await steps.run('rollback', `Roll back to ${target.commit?.slice(0, 12)}`, () =>
          restoreRelease(app, executor, settings, target, deps),
        );
        release = transition(release, 'rolled_back', { steps: steps.records });
        await store.save(release);
        return outcome({
          status: 'rolled_back',
          release,
          failedStep: failed.step,
          error: failed.message,
          deployedRef: target.commit,
          previousRef: previousCommit,
          services: servicesSummary(containers),
        });
      } catch (rollbackError) {
        const message = `${failed.message}\nThe rollback to ${target.commit?.slice(0, 12)} failed too: ${describeError(rollbackError)}`;
        release = { ...release, error: message, steps: steps.records };
        await store.save(release);
        return outcome({ status: 'failed', release, failedStep: failed.step, error: message, previousRef: previousCommit });
      }
    }
  } finally {
    await releaseLock?.().catch(() => undefined);
    await executor.close();
  }
}

/** A stand-in for the commit that ran before berth's first recorded release. */
function pseudoRelease(commit: string): Release {
  return { ...newRelease(commit, undefined), commit, state: 'succeeded' };
}
