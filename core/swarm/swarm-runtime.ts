/**
 * The app as a Docker Swarm stack, behind the engine's orchestrator seam: ship renders, builds and
 * deploys the stack; prove waits until it converged; a rollback redeploys a release's kept stack file.
 */
import type { AppRuntime, Looked, Proven, Restored } from '../engine/app-runtime.js';
import type { HealthDeps } from '../engine/health-check.js';
import type { RemoteApp } from '../engine/remote-app.js';
import type { Steps } from '../engine/steps.js';
import { BerthError } from '../errors.js';
import type { Executor } from '../exec/executor.js';
import type { Release } from '../release/release.js';
import type { Settings } from '../settings/settings.js';
import { stackSummary, taskError } from './convergence.js';
import { commitTag } from './stack-file.js';
import { awaitStack, checkStack } from './stack-health.js';
import { type StackState, tasksOf } from './stack-state.js';
import { type KeptStack, stackFileOf, type SwarmApp } from './swarm-app.js';

/** Service → the image its spec names: what a release records, and what its rollback brings back. */
function imagesOf(state: StackState): Record<string, string> {
  return Object.fromEntries(state.services.map((s) => [s.service, s.image]));
}

/** Each service's replicas, update state and image, and its newest failed task. */
function describe(state: StackState): string[] {
  const summary = stackSummary(state);
  const lines: string[] = [];
  for (const service of state.services) {
    const s = summary[service.service];
    if (!s) continue;
    const update = s.updateState ? `  update ${s.updateState}` : '';
    lines.push(`  ${service.service.padEnd(20)} ${s.replicas.padEnd(5)} ${s.state}${update}  ${s.image}`);
    const failed = tasksOf(state, service).find((t) => ['failed', 'rejected'].includes(t.state));
    if (failed) lines.push(`    last failed task ${failed.id.slice(0, 12)}: ${taskError(failed)}`);
  }
  return lines;
}

export class SwarmRuntime implements AppRuntime {
  /** What ship or restore deployed last. */
  private deployed: KeptStack | undefined;
  /** What stage rendered and built, for start to deploy. */
  private staged: KeptStack | undefined;

  constructor(
    private readonly checkout: RemoteApp,
    private readonly swarm: SwarmApp,
    private readonly executor: Executor,
    private readonly settings: Settings,
    private readonly health: HealthDeps,
  ) {}

  verify(): Promise<void> {
    return this.swarm.checkManager();
  }

  /** Renders the stack from the checked-out commit, builds (and pushes) its images, and deploys it. */
  async ship(release: Release, steps: Steps): Promise<void> {
    await this.stage(release, steps);
    await this.start(steps);
  }

  async stage(release: Release, steps: Steps): Promise<void> {
    const commit = release.commit;
    if (!commit) throw new BerthError(`Release ${release.id} has no commit to deploy.`);
    this.staged = await steps.run('build', `Render the stack ${this.swarm.stack} and build its images`, () =>
      this.renderAndBuild(commit, release.id),
    );
  }

  async start(steps: Steps): Promise<void> {
    const stack = this.staged;
    if (!stack) throw new BerthError(`Nothing was built to deploy as the stack ${this.swarm.stack}.`);
    await steps.run('up', `Deploy the stack ${this.swarm.stack}`, () => this.deploy(stack));
  }

  /** Built images are tagged per commit, so they replace nothing the running stack uses. */
  async unstage(): Promise<void> {}

  private async renderAndBuild(commit: string, releaseId: string): Promise<KeptStack> {
    const stack = await this.swarm.render(commit, stackFileOf(await this.checkout.stateDir(), releaseId));
    const built = Object.entries(stack.built);
    if (built.length > 0)
      this.health.reporter.logger.info(`Building ${built.map(([service, image]) => `${service} as ${image}`).join(', ')}.`);
    await this.swarm.build(stack);
    return stack;
  }

  private async deploy(stack: KeptStack): Promise<void> {
    await this.swarm.deploy(stack.file);
    this.deployed = stack;
  }

  /** Waits until every service converged on its new spec (the update not rolled back), then the health URL. */
  async prove(): Promise<Proven> {
    const converged = await awaitStack(this.swarm, this.executor, this.settings, this.health, { afterUpdate: true });
    const images = imagesOf(converged.state);
    return {
      services: stackSummary(converged.state),
      images,
      imageNames: images,
      stackFile: this.deployed?.file,
      elapsedMs: converged.elapsedMs,
    };
  }

  /** Keeps the built images and stack files of the kept releases; untags this stack's other built images. */
  async keep(release: Release, _proven: Proven, keep: readonly Release[]): Promise<void> {
    const kept = [release, ...keep];
    const files = kept.map((r) => r.stackFile).filter((file): file is string => file !== undefined);
    await this.swarm.prune(
      Object.values(this.deployed?.built ?? {}),
      kept.map((r) => r.commit ?? ''),
      files,
      await this.checkout.stateDir(),
    );
  }

  /** Redeploys the release's kept stack file and images; renders and builds its commit again when they are gone. */
  async restore(target: Release): Promise<Restored> {
    const commit = target.commit;
    if (!commit) throw new BerthError(`Release ${target.id} has no commit to restore.`);
    await this.checkout.checkout(commit);
    const built = Object.values(target.images).filter((image) => image.endsWith(`:${commitTag(commit)}`));
    const file = target.stackFile;
    const kept = file !== undefined && (await this.swarm.canRedeploy(file, built));
    if (kept) {
      await this.deploy({ file, stackFile: '', buildFile: undefined, built: {}, images: target.images });
    } else {
      this.health.reporter.logger.info('The kept stack file or images of that release are gone: rendering and building it again.');
      await this.deploy(await this.renderAndBuild(commit, target.id));
    }
    return { proven: await this.prove(), images: kept ? 'kept' : 'rebuilt' };
  }

  async look(): Promise<Looked> {
    const check = await checkStack(this.swarm, this.executor, this.settings, { afterUpdate: false });
    const state = check.state ?? { services: [], tasks: [] };
    return { verdict: check, services: stackSummary(state), lines: describe(state) };
  }

  /** Every service of the stack is specified with the image it had in `target`, and there is no other. */
  async runs(target: Release): Promise<boolean> {
    const images = Object.entries(target.images);
    const { services } = await this.look().catch(() => ({ services: undefined }));
    if (images.length === 0 || !services || Object.keys(services).length !== images.length) return false;
    return images.every(([service, image]) => services[service]?.image === image);
  }

  async restart(services: readonly string[]): Promise<void> {
    await this.swarm.restart(services);
  }

  services(named: readonly string[]): Promise<readonly string[]> {
    return this.swarm.servicesNamed(named);
  }

  async logs(services: readonly string[], lines: number): Promise<void> {
    await this.swarm.logs(services, lines);
  }
}
