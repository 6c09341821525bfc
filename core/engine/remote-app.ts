/**
 * The app on the server: runs the git, Compose and docker builders through an executor.
 * Knows nothing about the deploy flow; the flow knows nothing about quoting.
 */
import { PassThrough } from 'node:stream';
import { type ComposeProject, composeCommands, dockerCommands } from '../commands/compose.js';
import { fileCommands } from '../commands/files.js';
import { gitCommands, refCandidates } from '../commands/git.js';
import { migrationArgv } from '../commands/migration.js';
import { refusesLinks, withOneOffCopy } from '../commands/one-off-service.js';
import { tiedAndKilled, tiedToRun } from '../commands/tied.js';
import { BerthError, ConnectionLostError, InputError } from '../errors.js';
import { detectCompose } from './detect-compose.js';
import { parseProjectFiles, type PullDecision, pullNeeded } from './pull-needed.js';
import { composeProjectName } from './project-name.js';
import { checkResult, type Executor, type RunOptions, type RunResult, runChecked } from '../exec/executor.js';
import { type ContainerState, parseInspect } from '../health/containers.js';
import { Inputs } from '../settings/input-names.js';
import type { AppSettings } from '../settings/settings.js';
import { show } from '../settings/validators.js';

/** Building the images failed (as opposed to starting them). */
export class BuildFailedError extends BerthError {
  override readonly name = 'BuildFailedError';
  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : String(original));
  }
}

/** Local tag that keeps a release's image from being pruned, so rollback needs no rebuild. */
export function keepTag(project: string, service: string, commit: string): string {
  return `berth-keep/${project}/${tagPart(service)}:${commit.slice(0, 12)}`;
}

/** Local tag for an image a rollback set aside (a failed release's build), so the next prune finds it as this project's. */
export function discardTag(project: string, service: string, imageId: string): string {
  return `berth-discard/${project}/${tagPart(service)}:${imageId.replace(/^sha256:/, '').slice(0, 12)}`;
}

function tagPart(service: string): string {
  return service.toLowerCase().replace(/[^a-z0-9._-]/g, '-');
}

export class RemoteApp {
  private project: ComposeProject | undefined;
  /** The Compose project label, learnt from the first containers seen; later polls ask docker directly. */
  private projectLabel: string | undefined;
  /** The look at the containers that is learning the label now. */
  private learning: Promise<void> | undefined;
  /** berth's state directory, once git named it. */
  private stateDirAt: Promise<string> | undefined;

  /** Live output streams for long commands, and the run's cancel signal for every command. */
  private readonly live: Pick<RunOptions, 'onStdout' | 'onStderr'>;
  private readonly signal: AbortSignal | undefined;

  constructor(
    private readonly executor: Executor,
    private readonly app: AppSettings,
    options: { readonly live?: Pick<RunOptions, 'onStdout' | 'onStderr'>; readonly signal?: AbortSignal } = {},
  ) {
    this.live = options.live ?? {};
    this.signal = options.signal;
  }

  /** The same app under another signal, keeping what it learnt (the Compose flavour, the project label). */
  withSignal(signal: AbortSignal): RemoteApp {
    const app = new RemoteApp(this.executor, this.app, { live: this.live, signal });
    app.project = this.project;
    app.projectLabel = this.projectLabel;
    return app;
  }

  get where(): string {
    return this.executor.where;
  }

  /** Runs a command under the run's signal; never rejects for a non-zero exit. */
  private run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return this.executor.run(argv, { ...options, signal: this.signal });
  }

  /** Runs a command under the run's signal; rejects unless it exits 0. */
  private runChecked(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return runChecked(this.executor, argv, { ...options, signal: this.signal });
  }

  /**
   * Where berth keeps releases and the lock: inside the checkout's git directory. Asked of git once per
   * run (a blue-green deploy reads and writes its state there a dozen times); a failure is not kept.
   */
  async stateDir(): Promise<string> {
    this.stateDirAt ??= this.findStateDir().catch((error: unknown) => {
      this.stateDirAt = undefined;
      throw error;
    });
    return this.stateDirAt;
  }

  private async findStateDir(): Promise<string> {
    const result = await this.run(gitCommands.gitDir(this.app.path));
    if (result.code !== 0) {
      throw new BerthError(
        `${this.app.path} on ${this.where} is not a git checkout: ${result.stderr.trim()}`,
        `Clone the app there first (git clone <repo> ${this.app.path}), or run scripts/setup-server.sh.`,
      );
    }
    return `${result.stdout.trim()}/berth`;
  }

  /** What tells this checkout from any other, on any machine; undefined when it cannot be read (not Linux, no folder). */
  async identity(): Promise<string | undefined> {
    const result = await this.run(fileCommands.identity(this.app.path));
    return result.code === 0 ? result.stdout.trim().split('\n').join(' ') : undefined;
  }

  async head(): Promise<string | undefined> {
    const result = await this.run(gitCommands.head(this.app.path));
    return result.code === 0 ? result.stdout.trim() : undefined;
  }

  async fetch(): Promise<void> {
    await this.runChecked(gitCommands.fetch(this.app.path), this.live);
  }

  /** The commit a ref names after fetching, or a clear error. */
  async resolve(ref: string): Promise<string> {
    for (const candidate of refCandidates(ref)) {
      const result = await this.run(gitCommands.resolve(this.app.path, candidate));
      if (result.code === 0) return result.stdout.trim();
    }
    throw new InputError(
      `Invalid input '${Inputs.ref}': ${show(ref)} does not name a commit in ${this.app.path} on ${this.where} after fetching origin. Expected a commit SHA, tag or branch that was pushed.`,
      'Push the commit first, or check the ref.',
    );
  }

  /** Whether `ancestor` is an ancestor of `descendant` in the checkout's history; false when git cannot tell. */
  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return (await this.run(gitCommands.isAncestor(this.app.path, ancestor, descendant))).code === 0;
  }

  async checkout(commit: string): Promise<void> {
    await this.runChecked(gitCommands.checkout(this.app.path, commit), this.live);
  }

  /** Compose v2 when the server has it, else v1. */
  async compose(): Promise<ComposeProject> {
    if (this.project) return this.project;
    const flavor = await detectCompose(this.executor, this.signal);
    if (!flavor) {
      throw new BerthError(
        `Docker Compose was not found on ${this.where}.`,
        'Install the Compose plugin (docker compose) or docker-compose on the server.',
      );
    }
    this.project = { flavor, path: this.app.path, files: this.app.composeFiles, projectName: this.app.projectName };
    return this.project;
  }

  /**
   * Compose's commands end with this run (see core/commands/tied.ts): a killed runner or a dropped
   * connection leaves no build or `up` running to race the next run. Errors name Compose's command.
   */
  private async runCompose(argv: string[], options: RunOptions = {}, tie = tiedToRun): Promise<RunResult> {
    const alive = new PassThrough();
    try {
      const result = await this.run(tie(argv), { cwd: this.app.path, ...this.live, ...options, stdin: alive });
      return checkResult(argv, this.where, result);
    } finally {
      alive.end();
    }
  }

  /**
   * Pulls the images of the services not built here. When the Compose files show that every service
   * is built, Compose is not started at all (see pull-needed.ts); the live output says so.
   */
  async pull(): Promise<PullDecision> {
    const project = await this.compose();
    const read = await this.run(composeCommands.readFiles(project), { cwd: this.app.path });
    const decision =
      read.code === 0
        ? pullNeeded(parseProjectFiles(read.stdout), project.files)
        : { needed: true, why: 'the Compose files could not be read' };
    if (decision.needed) await this.runCompose(composeCommands.pull(project));
    else this.live.onStdout?.(Buffer.from(`Nothing to pull: ${decision.why}.\n`));
    return decision;
  }

  /** Builds the services named, all when none are. */
  async build(services: readonly string[] = []): Promise<void> {
    await this.runCompose(composeCommands.build(await this.compose(), services));
  }

  /** Starts the checked-out version; learns the project's label meanwhile, so the health polls after it need not start Compose. */
  async up(build: boolean): Promise<void> {
    await Promise.all([this.runCompose(composeCommands.up(await this.compose(), { build })), this.learnProject()]);
  }

  /**
   * Builds and starts in one Compose run. When that fails, a separate (cached) build tells
   * whether building or starting failed, so the failed step is named right.
   */
  async buildAndUp(): Promise<void> {
    try {
      await this.up(true);
    } catch (error) {
      // A stopped run, or one without its connection, asks nothing more of the server.
      if (this.signal?.aborted || error instanceof ConnectionLostError) throw error;
      await this.build().catch((buildError: unknown) => {
        throw new BuildFailedError(buildError);
      });
      throw error;
    }
  }

  /**
   * Runs `command` with `sh -c` in a one-off container of the service as its image now is (see
   * core/commands/migration.ts), its output live; rejects unless it exits 0. Tied to the run like
   * every Compose command: a cancelled or killed run ends it. `env` is Compose's own environment
   * (what the Compose files interpolate), as for renderedConfig.
   */
  async migrate(service: string, command: string, env: Readonly<Record<string, string>> = {}): Promise<void> {
    const argv = migrationArgv(command);
    const copy = await this.oneOffCopy(service, env);
    if (!copy) {
      await this.runCompose(composeCommands.run(await this.compose(), service, argv), { env });
      return;
    }
    try {
      await this.runCompose(composeCommands.run(copy.project, copy.service, argv), { env });
    } finally {
      // It holds the rendered environment (secrets from .env among it). A stopped run cannot remove it: the next one overwrites it.
      await this.run(fileCommands.remove(copy.file)).catch(() => undefined);
    }
  }

  /**
   * Under Compose v1, for a running service whose network refuses links: a copy of it to run instead
   * (see core/commands/one-off-service.ts), in a Compose file of its own in the state directory.
   * Undefined when `run` can take the service itself (v2, bridge networks, nothing of it running).
   */
  private async oneOffCopy(
    service: string,
    env: Readonly<Record<string, string>>,
  ): Promise<{ project: ComposeProject; service: string; file: string } | undefined> {
    const project = await this.compose();
    if (project.flavor !== 'v1') return undefined;
    const rendered = await this.renderedConfig(env);
    if (!refusesLinks(rendered, service)) return undefined;
    const running = (await this.containers()).find((c) => c.service === service && c.state === 'running');
    if (!running?.project) return undefined;
    const copy = withOneOffCopy(rendered, service, running.project);
    const file = `${await this.stateDir()}/one-off.compose.yml`;
    await this.runChecked(fileCommands.writeAtomic(file), { stdin: copy.yaml });
    return { project: { ...project, files: [file], projectName: running.project }, service: copy.service, file };
  }

  /** Starts or updates only these services (none they depend on), from built images, with `env` for Compose. */
  async upOnly(services: readonly string[], env: Readonly<Record<string, string>>): Promise<void> {
    await this.runCompose(composeCommands.upOnly(await this.compose(), services), { env });
  }

  /** Starts one more container of `service` beside the running ones (which stay), rendered with `env`. */
  async startBeside(service: string, count: number, env: Readonly<Record<string, string>>): Promise<void> {
    await this.runCompose(composeCommands.startBeside(await this.compose(), service, count), { env });
  }

  /** Builds `service` (with `build`) and creates one more container of it beside the running ones (which stay), not started; rendered with `env`. */
  async createBeside(service: string, count: number, env: Readonly<Record<string, string>>, build = true): Promise<void> {
    // Killed, not stopped, on a cancel: Compose v1's `up` (never --detach with --no-start) stops every
    // container of the service on SIGINT or SIGTERM, the live colour included (see tiedAndKilled).
    await this.runCompose(composeCommands.createBeside(await this.compose(), service, count, build), { env }, tiedAndKilled);
  }

  /** Runs a docker command under the run's signal; rejects unless it exits 0. */
  async docker(argv: readonly string[]): Promise<string> {
    return (await this.runChecked(argv)).stdout;
  }

  async restart(services: readonly string[]): Promise<void> {
    await Promise.all([this.runCompose(composeCommands.restart(await this.compose(), services)), this.learnProject()]);
  }

  /** The project's containers; asked while the label is being learnt, the answer waits for it (one Compose start less). */
  async containers(): Promise<ContainerState[]> {
    if (!this.projectLabel && this.learning) await this.learning;
    return this.listContainers(this.projectLabel);
  }

  /** The containers with this project label (by `docker ps`), or without one those `compose ps` names. */
  private async listContainers(label: string | undefined): Promise<ContainerState[]> {
    if (label) {
      const result = await this.run(dockerCommands.inspectProject(label));
      // No JSON at all: docker ps failed (the engine down, no permission), named as such.
      if (result.code !== 0 && !result.stdout.trim().startsWith('['))
        checkResult(dockerCommands.projectContainers(label), this.where, result);
      // A container removed between ps and inspect makes inspect fail; the next poll sees the new state.
      const found = result.code === 0 && result.stdout.trim() ? parseInspect(result.stdout) : [];
      if (found.length > 0) this.projectLabel ??= label;
      return found;
    }
    const list = composeCommands.ps(await this.compose());
    const ids = (await this.runChecked(list, { cwd: this.app.path })).stdout.split(/\s+/).filter(Boolean);
    if (ids.length === 0) return [];
    const result = await this.run(dockerCommands.inspect(ids));
    // A container removed between ps and inspect makes inspect fail; the next poll sees the new state.
    const containers = result.code === 0 ? parseInspect(result.stdout) : [];
    this.projectLabel ??= containers.find((c) => c.project)?.project;
    return containers;
  }

  /**
   * Learns the project label, so health polls need not start Compose (each start of Compose v1 costs
   * ~0.4 s): the name Compose would give the project, read from its files (project-name.ts), when
   * containers carry it; else from the containers `compose ps` names. One look at a time: `up` and
   * its caller may both ask while Compose works.
   */
  async learnProject(): Promise<void> {
    if (this.projectLabel) return;
    this.learning ??= this.findProjectLabel()
      .catch(() => undefined) // not learnt: the polls ask Compose, as before
      .finally(() => (this.learning = undefined));
    await this.learning;
  }

  private async findProjectLabel(): Promise<void> {
    const project = await this.compose();
    const read = await this.run(composeCommands.readFiles(project), { cwd: this.app.path });
    const named = read.code === 0 ? composeProjectName(parseProjectFiles(read.stdout), project) : undefined;
    // None with that label: a first deploy, or a name berth read wrong; Compose says which.
    if (named && (await this.listContainers(named)).length > 0) return;
    await this.listContainers(undefined);
  }

  /**
   * Streams the last lines of the services' logs (all services when none are named), each with its time,
   * to the live output. Rejects when Compose fails.
   */
  async logs(services: readonly string[], lines: number): Promise<void> {
    const project = await this.compose();
    await this.runChecked(composeCommands.logs(project, lines, services), { cwd: this.app.path, captureStdout: false, ...this.live });
  }

  /** The project's config as Compose renders it (files merged, `.env` and `env` interpolated). */
  async renderedConfig(env: Readonly<Record<string, string>> = {}): Promise<string> {
    const result = await this.runChecked(composeCommands.config(await this.compose()), { cwd: this.app.path, env });
    return result.stdout;
  }

  /** The services the app's Compose files define, in their order. */
  async serviceNames(): Promise<string[]> {
    const result = await this.runChecked(composeCommands.services(await this.compose()), { cwd: this.app.path });
    return result.stdout
      .split('\n')
      .map((name) => name.trim())
      .filter(Boolean);
  }

  /**
   * Tags the images the containers run, so pruning keeps them for a rollback, and untags
   * those of releases no longer among `keepCommits`, so kept images stay bounded.
   */
  async keepImages(containers: readonly ContainerState[], commit: string, keepCommits: readonly string[]): Promise<void> {
    const projects = new Set<string>();
    for (const c of containers) {
      if (!c.project || !c.imageId) continue;
      projects.add(c.project);
      await this.runChecked(dockerCommands.tag(c.imageId, keepTag(c.project, c.service, commit)));
    }
    const kept = new Set([commit, ...keepCommits].map((k) => k.slice(0, 12)));
    for (const project of projects) {
      const listed = await this.run(dockerCommands.listByReference(`berth-keep/${project}/*`));
      for (const name of listed.stdout.split('\n').filter(Boolean)) {
        if (!kept.has(name.slice(name.lastIndexOf(':') + 1))) await this.run(dockerCommands.removeTag(name));
      }
    }
  }

  /**
   * After a success: tags what `containers` run for `release` (a rollback needs no rebuild), lets go of
   * releases other than `keep`, and prunes this project's unused images.
   */
  async keepRelease(
    containers: readonly ContainerState[],
    release: { commit?: string | undefined },
    keep: ReadonlyArray<{ commit?: string | undefined }>,
  ): Promise<void> {
    await this.keepImages(
      containers,
      release.commit ?? '',
      keep.map((r) => r.commit ?? ''),
    );
    await this.pruneDangling();
  }

  /** Points each service's image name back at the kept image of a release. False when one is gone. */
  async restoreImages(images: Readonly<Record<string, string>>, imageNames: Readonly<Record<string, string>>): Promise<boolean> {
    const services = Object.keys(images);
    if (services.length === 0) return false;
    for (const service of services) {
      const id = images[service] ?? '';
      const name = imageNames[service];
      if (!name || (await this.run(dockerCommands.imageExists(id))).code !== 0) return false;
    }
    for (const service of services) {
      const [id, name] = [images[service] ?? '', imageNames[service] ?? ''];
      await this.setAside(service, name, id);
      await this.runChecked(dockerCommands.tag(id, name));
    }
    return true;
  }

  /** Tags the image `name` points to now, when it is not `keep`, so pruning finds it as this project's. */
  private async setAside(service: string, name: string, keep: string): Promise<void> {
    const project = this.projectLabel ?? this.app.projectName;
    const current = (await this.run(dockerCommands.imageExists(name))).stdout.trim();
    if (!project || !current || current === keep) return;
    await this.run(dockerCommands.tag(current, discardTag(project, service, current)));
  }

  /**
   * Removes this project's unused images, never another project's: dangling ones Compose v2
   * labelled with the project, and those a rollback set aside. Kept releases stay tagged.
   */
  async pruneDangling(): Promise<void> {
    const project = this.projectLabel ?? this.app.projectName;
    if (!project) return;
    await this.run(dockerCommands.pruneProjectImages(project));
    const setAside = await this.run(dockerCommands.listByReference(`berth-discard/${project}/*`));
    for (const name of setAside.stdout.split('\n').filter(Boolean)) await this.run(dockerCommands.removeTag(name));
  }
}
