/** The app as a Compose project on one host: `up` beside the running version, containers proven healthy, images kept by tag. */
import { BerthError } from '../errors.js';
import type { Executor } from '../exec/executor.js';
import { type ContainerState, servicesSummary } from '../health/containers.js';
import { type Release, releaseImages } from '../release/release.js';
import type { Settings } from '../settings/settings.js';
import type { AppRuntime, Looked, Proven, Restored } from './app-runtime.js';
import { awaitHealthy, checkHealth, type HealthDeps } from './health-check.js';
import { runMigration, webServiceOf } from './migrate.js';
import { BuildFailedError, type RemoteApp } from './remote-app.js';
import { StepError, type Steps } from './steps.js';

export class ComposeRuntime implements AppRuntime {
  /** The containers last proven healthy: their images are the ones kept. */
  private proven: ContainerState[] = [];
  /** From `stage` until `start`: this run builds the new version but has started nothing of it. */
  private builtOnly = false;
  /** With a migration: the web service of the new version's Compose files, found in `stage`. */
  private webService: string | undefined;

  constructor(
    private readonly app: RemoteApp,
    private readonly executor: Executor,
    private readonly settings: Settings,
    private readonly health: HealthDeps,
  ) {}

  /** The same runtime under a stopped run's clean-up: whether it started anything of the new version decides the clean-up. */
  under(app: RemoteApp, health: HealthDeps): ComposeRuntime {
    const next = new ComposeRuntime(app, this.executor, this.settings, health);
    next.proven = this.proven;
    next.builtOnly = this.builtOnly;
    next.webService = this.webService;
    return next;
  }

  async verify(): Promise<void> {}

  /**
   * Pulls registry images, then builds and starts the checked-out version beside the running one.
   * Building and starting are one Compose run (one start-up less); a failure in it is recorded as
   * `build` when building failed, else `up`. With `migrate-command`, building and starting are two
   * runs with the migration between them: it runs in the new image before the new version serves.
   */
  async ship(release: Release, steps: Steps): Promise<void> {
    if (this.settings.migrateCommand) {
      await this.stage(release, steps);
      await runMigration(this.app, this.settings, steps, {}, this.webService);
      return this.start(steps);
    }
    const { app } = this;
    await steps.run('pull', 'Pull images', () => app.pull());
    await steps.run('up', 'Build and start the new version', async () => {
      // Learning the project's label meanwhile lets health polls ask docker directly, not Compose.
      await Promise.all([
        app.buildAndUp().catch((error: unknown) => {
          throw error instanceof BuildFailedError ? new StepError('build', error.original) : error;
        }),
        app.learnProject(),
      ]);
    });
  }

  async stage(_release: Release, steps: Steps): Promise<void> {
    const { app, settings } = this;
    this.builtOnly = true;
    if (settings.migrateCommand) {
      // The new version's Compose files name the service the migration runs in: found before anything is built.
      this.webService = await steps.run('inputs', "Check the new version's web service", () => webServiceOf(app, settings));
    }
    await steps.run('pull', 'Pull images', () => app.pull());
    await steps.run('build', 'Build the new version', () => Promise.all([app.build(), app.learnProject()]));
  }

  async start(steps: Steps): Promise<void> {
    this.builtOnly = false;
    await steps.run('up', 'Start the new version', () => this.app.up(false));
  }

  /**
   * After a failed or stopped deploy that started nothing of the new version (it failed or was stopped
   * in `stage` or the migration): the old version serves, untouched, and the image names the build
   * took point at it again. Undefined once `up` began: the usual rollback then runs.
   */
  async abandon(): Promise<'untouched' | undefined> {
    if (!this.builtOnly) return undefined;
    this.builtOnly = false;
    await this.unstage();
    return 'untouched';
  }

  /** The built images took the names the running containers' images had: those names point at the running images again. */
  async unstage(): Promise<void> {
    const running = releaseImages(await this.app.containers());
    await this.app.restoreImages(running.images, running.imageNames);
  }

  async prove(): Promise<Proven> {
    const healthy = await awaitHealthy(this.app, this.executor, this.settings, this.health);
    this.proven = healthy.containers;
    return { services: servicesSummary(healthy.containers), ...releaseImages(healthy.containers), elapsedMs: healthy.elapsedMs };
  }

  /** Tags the images the proven containers run (`berth-keep/…`), untags those of other releases, prunes this project's unused images. */
  async keep(release: Release, _proven: Proven, keep: readonly Release[]): Promise<void> {
    await this.app.keepRelease(this.proven, release, keep);
  }

  /** Its commit, its kept images (or a rebuild), then a health check. */
  async restore(target: Release): Promise<Restored> {
    const commit = target.commit;
    if (!commit) throw new BerthError(`Release ${target.id} has no commit to restore.`);
    await this.app.checkout(commit);
    const kept = await this.app.restoreImages(target.images, target.imageNames);
    if (!kept) this.health.reporter.logger.info('The kept images of that release are gone: rebuilding it.');
    await this.app.up(!kept);
    return { proven: await this.prove(), images: kept ? 'kept' : 'rebuilt' };
  }

  async look(): Promise<Looked> {
    const verdict = await checkHealth(this.app, this.executor, this.settings);
    const containers = verdict.containers ?? [];
    return {
      verdict,
      services: servicesSummary(containers),
      lines: containers.map((c) => `  ${c.service.padEnd(20)} ${c.state}${c.health ? ` (${c.health})` : ''}  ${c.image}`),
    };
  }

  /** Every container runs, with the image its service ran in `target`, and there is no other. */
  async runs(target: Release): Promise<boolean> {
    const images = Object.entries(target.images);
    const containers = await this.app.containers().catch(() => undefined);
    if (images.length === 0 || !containers || containers.length !== images.length) return false;
    return images.every(([service, id]) => containers.some((c) => c.service === service && c.imageId === id && c.state === 'running'));
  }

  async restart(services: readonly string[]): Promise<void> {
    await this.app.restart(services);
  }

  async services(named: readonly string[]): Promise<readonly string[]> {
    // Named services were checked against the project in the `inputs` step.
    return named.length > 0 ? named : this.app.serviceNames();
  }

  async logs(services: readonly string[], lines: number): Promise<void> {
    await this.app.logs(services, lines);
  }
}
