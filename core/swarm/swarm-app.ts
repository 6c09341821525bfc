/**
 * The app as a Docker Swarm stack, on a manager node: renders the stack file from Compose's
 * config, builds (and pushes) the images with a tag per commit, deploys the stack, and reads
 * its services and tasks. Runs the builders through an executor; knows nothing of the deploy flow.
 */
import { type ComposeProject, composeCommands, dockerCommands } from '../commands/compose.js';
import { fileCommands } from '../commands/files.js';
import { swarmCommands } from '../commands/swarm.js';
import { detectCompose } from '../engine/detect-compose.js';
import { BerthError } from '../errors.js';
import { checkResult, type Executor, type RunOptions, type RunResult, runChecked } from '../exec/executor.js';
import { realSleep, type Sleep } from '../retry.js';
import type { AppSettings } from '../settings/settings.js';
import { commitTag, imageRepository, type RenderedStack, renderStack } from './stack-file.js';
import { parseStackState, type StackState } from './stack-state.js';

export interface SwarmTarget {
  readonly stack: string;
  readonly registry: string | undefined;
}

export interface SwarmAppOptions {
  /** Where commands' output streams as it arrives. */
  readonly live?: Pick<RunOptions, 'onStdout' | 'onStderr'>;
  /** Ends every command when aborted. */
  readonly signal?: AbortSignal;
  /** The pause before a stack deploy is sent again (tests pass a fake). */
  readonly sleep?: Sleep;
}

/** A rendered stack kept on the server: the file `stack deploy` reads and the images it names. */
export interface KeptStack extends RenderedStack {
  readonly file: string;
}

/** The folder, inside berth's state directory, where each release's stack file is kept for a rollback. */
export function stacksDir(stateDir: string): string {
  return `${stateDir}/stacks`;
}

/** The stack file of a release. */
export function stackFileOf(stateDir: string, releaseId: string): string {
  return `${stacksDir(stateDir)}/${releaseId}.yml`;
}

/** Why a node cannot deploy a stack, from `docker info --format '{{json .Swarm}}'`; undefined for an active manager. */
export function notAManager(swarmJson: string, where: string): BerthError | undefined {
  const node = JSON.parse(swarmJson) as { LocalNodeState?: string; ControlAvailable?: boolean };
  if (node.LocalNodeState !== 'active') {
    return new BerthError(
      `${where} is not in a Docker Swarm (its swarm state is ${node.LocalNodeState || 'unknown'}).`,
      'Connect to a manager node, or create a swarm there: docker swarm init.',
    );
  }
  if (!node.ControlAvailable) {
    return new BerthError(`${where} is a Swarm worker; stacks are deployed from a manager node.`, 'Set host to a manager node.');
  }
  return undefined;
}

/** How many times a stack deploy is sent when Swarm says it raced another update of a service. */
export const DEPLOY_ATTEMPTS = 5;
const RACED_DEPLOY_PAUSE_MS = 1000;

export class SwarmApp {
  private project: ComposeProject | undefined;

  constructor(
    private readonly executor: Executor,
    private readonly app: AppSettings,
    readonly target: SwarmTarget,
    private readonly options: SwarmAppOptions = {},
  ) {}

  get where(): string {
    return this.executor.where;
  }

  get stack(): string {
    return this.target.stack;
  }

  /** Runs a command under the run's signal; rejects unless it exits 0. */
  private run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return runChecked(this.executor, argv, { ...options, signal: this.options.signal });
  }

  /** Runs a command under the run's signal; never rejects for a non-zero exit. */
  private try(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return this.executor.run(argv, { ...options, signal: this.options.signal });
  }

  /** Fails unless this node is a manager of an active swarm: only managers deploy stacks. */
  async checkManager(): Promise<void> {
    const { stdout } = await this.run(swarmCommands.nodeState());
    const problem = notAManager(stdout, this.where);
    if (problem) throw problem;
  }

  /** Compose renders the stack (merging files, reading `.env`) and builds its images: v2 when there, else v1. */
  private async compose(): Promise<ComposeProject> {
    if (this.project) return this.project;
    const flavor = await detectCompose(this.executor, this.options.signal);
    if (!flavor) {
      throw new BerthError(
        `Docker Compose was not found on ${this.where}; berth renders the stack file with it (stack deploy reads no .env).`,
        'Install the Compose plugin (docker compose) or docker-compose on the manager node.',
      );
    }
    this.project = { flavor, path: this.app.path, files: this.app.composeFiles, projectName: this.stack };
    return this.project;
  }

  /** Renders the checked-out commit's stack and keeps its file at `file`. */
  async render(commit: string, file: string): Promise<KeptStack> {
    const { stdout } = await this.run(composeCommands.config(await this.compose()), { cwd: this.app.path });
    const rendered = renderStack(stdout, { stack: this.stack, commit, registry: this.target.registry });
    await this.run(fileCommands.writeAtomic(file), { stdin: rendered.stackFile });
    return { ...rendered, file };
  }

  /** Builds the services built from source, tagged for this commit; pushes them when there is a registry. */
  async build(stack: RenderedStack): Promise<void> {
    if (!stack.buildFile) return;
    const project = { ...(await this.compose()), files: ['-'] };
    await this.run(composeCommands.build(project), { cwd: this.app.path, stdin: stack.buildFile, ...this.options.live });
    if (!this.target.registry) return;
    for (const image of Object.values(stack.built)) await this.run(swarmCommands.push(image), { ...this.options.live });
  }

  /**
   * Deploys (or updates) the stack from a kept file; returns at once, the stack converges afterwards.
   * Swarm refuses a service update that raced another change of the same service ("update out of
   * sequence": its own rollback of the previous update, say); the declarative deploy is sent again,
   * up to DEPLOY_ATTEMPTS times in all.
   */
  async deploy(file: string): Promise<void> {
    const argv = swarmCommands.deploy(file, this.stack, { resolveImages: this.target.registry !== undefined });
    for (let attempt = 1; ; attempt++) {
      const result = await this.try(argv, { ...this.options.live });
      const raced = result.code !== 0 && /update out of sequence/.test(result.stderr);
      if (!raced || attempt >= DEPLOY_ATTEMPTS || this.options.signal?.aborted) {
        checkResult(argv, this.executor.where, result);
        return;
      }
      await (this.options.sleep ?? realSleep)(RACED_DEPLOY_PAUSE_MS);
    }
  }

  async state(): Promise<StackState> {
    return parseStackState((await this.run(swarmCommands.state(this.stack))).stdout, this.stack);
  }

  /** Whether a kept stack can be deployed again as it is: its file and, on one node, its built images still there. */
  async canRedeploy(file: string, built: readonly string[]): Promise<boolean> {
    const exists = await this.try(['test', '-f', file]);
    if (exists.code !== 0) return false;
    if (this.target.registry) return true;
    for (const image of built) {
      if ((await this.try(dockerCommands.imageExists(image))).code !== 0) return false;
    }
    return true;
  }

  /** The services named (all of the stack's when none are); an unknown name fails before anything runs. */
  async servicesNamed(services: readonly string[]): Promise<readonly string[]> {
    const known = (await this.state()).services.map((s) => s.service);
    const unknown = services.filter((name) => !known.includes(name));
    if (unknown.length > 0) {
      throw new BerthError(
        `Invalid input 'services': the stack ${this.stack} on ${this.where} has no service ${unknown.join(', ')}.`,
        `Expected some of: ${known.join(', ') || '(the stack has no services)'}.`,
      );
    }
    return services.length > 0 ? services : known;
  }

  /** Streams the last lines of each service's tasks (all services when none are named). */
  async logs(services: readonly string[], lines: number): Promise<void> {
    for (const service of await this.servicesNamed(services)) {
      await this.run(swarmCommands.logs(this.stack, service, lines), { captureStdout: false, ...this.options.live });
    }
  }

  /** Replaces the services' tasks (all when none are named) with fresh ones of the same spec. */
  async restart(services: readonly string[]): Promise<void> {
    for (const service of await this.servicesNamed(services)) await this.run(swarmCommands.forceUpdate(this.stack, service));
  }

  /**
   * Keeps the images and stack files of the releases a rollback may need, as Compose deploys keep
   * theirs: untags built images of other commits (an image goes with its last tag, once no
   * container uses it) and removes other releases' stack files. Nothing outside this stack is touched.
   */
  async prune(built: readonly string[], keepCommits: readonly string[], keepFiles: readonly string[], stateDir: string): Promise<void> {
    const kept = new Set(keepCommits.map(commitTag));
    for (const repository of new Set(built.map(imageRepository))) {
      const listed = await this.try(dockerCommands.listByReference(repository));
      for (const name of listed.stdout.split('\n').filter(Boolean)) {
        if (!kept.has(name.slice(name.lastIndexOf(':') + 1))) await this.try(dockerCommands.removeTag(name));
      }
    }
    await this.try(fileCommands.removeOthers(stacksDir(stateDir), keepFiles));
  }
}
