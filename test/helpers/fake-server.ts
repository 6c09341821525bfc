/**
 * A scripted Executor for unit tests of the deploy flow: a fake of berth's own Executor interface
 * (not of SSH or Docker) that answers the commands the engine sends with a small model of a server —
 * a git checkout, the release files, the lock and one Compose service per commit — and fails the
 * commands a test picks. End-to-end tests run the same flow against the real sshd and Docker engine.
 */
import type { Duplex, Readable } from 'node:stream';
import { DIR_MARK, FILE_MARK } from '../../core/commands/compose.js';
import { TIED_NAME } from '../../core/commands/tied.js';
import { CancelledError } from '../../core/errors.js';
import { ConnectionLostError } from '../../core/ssh/ssh-connection.js';
import type { Executor, RunOptions, RunResult } from '../../core/exec/executor.js';
import { deploy } from '../../core/engine/deploy.js';
import type { EngineDeps } from '../../core/engine/engine-deps.js';
import type { RunContext } from '../../core/run-context.js';
import { parseSettings } from '../../core/settings/parse-settings.js';
import type { InputName } from '../../core/settings/input-names.js';
import type { Settings } from '../../core/settings/settings.js';
import { type RecordingReporter, recordingReporter } from './engine.js';

export const APP_PATH = '/srv/app';
export const STATE_DIR = `${APP_PATH}/.git/berth`;
export const RELEASES_FILE = `${STATE_DIR}/releases.json`;

export interface RecordedRun {
  readonly argv: readonly string[];
  readonly options: RunOptions;
}

/** What a failing command does: exits with a code and stderr, or rejects (a dropped connection). */
export type Failure = { readonly code: number; readonly stderr?: string } | { readonly reject: Error };

interface Rule {
  readonly matches: (argv: readonly string[]) => boolean;
  readonly failure: Failure;
  remaining: number;
}

/** Settings for the fake server: password auth, no host key check (nothing connects). */
export function fakeSettings(extra: Partial<Record<InputName, string>> = {}): Settings {
  const inputs: Partial<Record<InputName, string>> = {
    host: 'app.example.com',
    username: 'deploy',
    password: 'unused',
    'insecure-skip-host-key-check': 'true',
    path: APP_PATH,
    'health-timeout': '5',
    ...extra,
  };
  return parseSettings((name) => inputs[name] ?? '');
}

export class FakeServer implements Executor {
  readonly where = 'deploy@fake:22';
  readonly runs: RecordedRun[] = [];
  readonly files = new Map<string, string>();
  /** Commits origin has, by name: branch names and full SHAs resolve through it. */
  readonly refs = new Map<string, string>();
  /** The commit checked out, and the commit whose containers run (they differ mid-deploy). */
  head: string | undefined;
  running: string | undefined;
  /** Commits whose containers turn unhealthy, and how many of the next `up`s start unhealthy containers. */
  readonly broken = new Set<string>();
  brokenUps = 0;
  private runningHealthy = true;
  /** Called after each command is answered, for tests that change the server mid-run. */
  onAnswered: (argv: readonly string[]) => void = () => {};
  /** What `docker-compose config` prints: the project as Compose renders it. */
  composeConfig = "version: '2.4'\nservices:\n  web:\n    build:\n      context: /srv/app\n    network_mode: host\n";
  lockHeld = false;
  closed = false;
  /** Origin's history, oldest first (the commits given, in order): a commit is an ancestor of those after it. */
  readonly ancestry: string[];
  private readonly rules: Rule[] = [];
  private readonly stalls: Array<{ matches: (argv: readonly string[]) => boolean; onStall: () => void }> = [];

  constructor(commits: readonly string[] = []) {
    this.ancestry = [...commits];
    for (const commit of commits) this.refs.set(commit, commit);
  }

  /** Makes the next `times` commands that match fail as told. */
  fail(matches: (argv: readonly string[]) => boolean, failure: Failure, times = Infinity): this {
    this.rules.push({ matches, failure, remaining: times });
    return this;
  }

  /**
   * Makes the next command that matches hang, as a long build does, until its signal aborts; it then
   * rejects as a cancelled command does. `onStall` is called once it hangs.
   */
  stall(matches: (argv: readonly string[]) => boolean, onStall: () => void = () => {}): this {
    this.stalls.push({ matches, onStall });
    return this;
  }

  /** Lets the first `skip` commands that match through, then fails the rest as told. */
  failAfter(matches: (argv: readonly string[]) => boolean, skip: number, failure: Failure): this {
    let seen = 0;
    return this.fail((argv) => matches(argv) && ++seen > skip, failure);
  }

  /** Makes every later command reject, as a dropped connection does. */
  drop(): void {
    this.fail(() => true, { reject: new ConnectionLostError(`The connection to ${this.where} was lost.`) });
  }

  /** The commands run so far, as single lines, for assertions. */
  lines(): string[] {
    return this.runs.map((r) => r.argv.join(' '));
  }

  releases(): Array<{
    id: string;
    state: string;
    ref: string;
    commit?: string;
    previousCommit?: string;
    failedStep?: string;
    error?: string;
  }> {
    const text = this.files.get(RELEASES_FILE);
    return text ? (JSON.parse(text) as { releases: [] }).releases : [];
  }

  async run(tied: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    // A tied command (core/commands/tied.ts) is recorded, matched and answered as the command it runs.
    const argv = tied[0] === 'sh' && tied[3] === TIED_NAME ? tied.slice(4) : tied;
    this.runs.push({ argv, options });
    const stall = this.stalls.findIndex((s) => s.matches(argv));
    if (stall >= 0) return this.hang(this.stalls.splice(stall, 1)[0]?.onStall, options.signal);
    const rule = this.rules.find((r) => r.remaining > 0 && r.matches(argv));
    if (rule) {
      rule.remaining--;
      if ('reject' in rule.failure) throw rule.failure.reject;
      return result(rule.failure.code, '', rule.failure.stderr ?? 'failed');
    }
    const answered = await this.answer(argv, options);
    this.onAnswered(argv);
    return answered;
  }

  private hang(onStall: (() => void) | undefined, signal: AbortSignal | undefined): Promise<RunResult> {
    return new Promise((_, reject) => {
      const cancelled = (): void => reject(new CancelledError(`A command on ${this.where} was cancelled.`));
      if (signal?.aborted) return cancelled();
      signal?.addEventListener('abort', cancelled, { once: true });
      onStall?.();
    });
  }

  openTcp(): Promise<Duplex> {
    return Promise.reject(new Error('the fake server has no TCP forwarding'));
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private async answer(argv: readonly string[], options: RunOptions): Promise<RunResult> {
    const [program] = argv;
    if (program === 'git') return this.git(argv.slice(3));
    if (program === 'sh' && argv[3] === 'berth-lock') return this.holdLock(argv[4], argv[5], options);
    if (program === 'flock') return this.tryLock(argv[3], argv.at(-1), options);
    if (program === 'sh' && argv[3] === 'berth-read') return result(0, this.files.get(argv[4] ?? '') ?? '');
    if (program === 'sh' && argv[3] === 'berth-write') {
      this.files.set(argv[4] ?? '', await readAll(options.stdin));
      return result(0);
    }
    if (program === 'sh' && argv[2] === 'command -v docker-compose') return result(0, '/usr/bin/docker-compose\n');
    // The Compose files and the folder, as composeCommands.readFiles prints them.
    if (program === 'sh' && argv[3] === 'berth-read-compose')
      return result(0, `${DIR_MARK}${APP_PATH}\n${FILE_MARK}docker-compose.yml\n${this.composeConfig}\n`);
    // docker ps, then docker inspect of what it found (dockerCommands.inspectProject).
    if (program === 'sh' && argv[3] === 'berth-containers')
      return result(0, this.running ? JSON.stringify([this.inspect(this.running)]) : '');
    if (program === 'docker-compose') return this.compose(argv);
    if (program === 'docker') return this.docker(argv.slice(1));
    if (program === 'mkdir' || program === 'rm') return result(0);
    return result(127, '', `fake server: unknown command ${argv.join(' ')}`);
  }

  private git(args: readonly string[]): RunResult {
    const [verb, ...rest] = args;
    if (verb === 'rev-parse' && rest[0] === '--absolute-git-dir') return result(0, `${APP_PATH}/.git\n`);
    if (verb === 'rev-parse') {
      const name = (rest.at(-1) ?? '').replace(/\^\{commit\}$/, '');
      const commit = name === 'HEAD' ? this.head : this.refs.get(name.replace(/^refs\/remotes\/origin\//, ''));
      return commit ? result(0, `${commit}\n`) : result(1);
    }
    if (verb === 'merge-base') {
      const [ancestor, descendant] = rest.slice(-2).map((commit) => this.ancestry.indexOf(commit ?? ''));
      return result(ancestor !== undefined && descendant !== undefined && ancestor >= 0 && ancestor <= descendant ? 0 : 1);
    }
    if (verb === 'checkout') {
      this.head = rest.at(-1);
      return result(0);
    }
    return result(0); // fetch
  }

  /** Holds the lock while stdin stays open, as the queue script does (a held lock makes it wait for ever). */
  private async holdLock(file: string | undefined, owner: string | undefined, options: RunOptions): Promise<RunResult> {
    if (this.lockHeld) {
      options.onStdout?.(Buffer.from('waiting\n'));
      await readAll(options.stdin);
      return result(143);
    }
    return this.tryLock(file, owner, options);
  }

  /** `flock -n`: holds the lock while stdin stays open, or exits 1 at once when it is held. */
  private async tryLock(file: string | undefined, owner: string | undefined, options: RunOptions): Promise<RunResult> {
    if (this.lockHeld) return result(1);
    this.lockHeld = true;
    this.files.set(`${file ?? ''}.owner`, `${owner ?? ''}\n`);
    options.onStdout?.(Buffer.from('locked\n'));
    await readAll(options.stdin);
    this.lockHeld = false;
    return result(0);
  }

  private compose(argv: readonly string[]): RunResult {
    if (argv.includes('up')) {
      this.running = this.head;
      this.runningHealthy = this.brokenUps === 0 && !this.broken.has(this.head ?? '');
      this.brokenUps = Math.max(0, this.brokenUps - 1);
    }
    if (argv.includes('ps')) return result(0, this.running ? `${containerId(this.running)}\n` : '');
    if (argv.at(-1) === 'config') return result(0, this.composeConfig);
    return result(0); // pull, build, run, logs, restart
  }

  private docker(args: readonly string[]): RunResult {
    if (args[0] === 'compose') return result(1, '', "docker: 'compose' is not a docker command."); // v1 only
    if (args[0] === 'ps') return result(0, this.running ? `${containerId(this.running)}\n` : '');
    if (args[0] === 'inspect') return result(0, JSON.stringify(this.running ? [this.inspect(this.running)] : []));
    if (args[0] === 'image' && args[1] === 'ls') return result(0, '');
    return result(0); // image tag, inspect, rm, prune
  }

  private inspect(commit: string): object {
    return {
      Id: containerId(commit),
      Name: '/app_web_1',
      Image: `sha256:${commit}`,
      RestartCount: 0,
      State: { Status: 'running', ExitCode: 0, Health: { Status: this.runningHealthy ? 'healthy' : 'unhealthy' } },
      Config: { Image: 'app_web', Labels: { 'com.docker.compose.service': 'web', 'com.docker.compose.project': 'app' } },
      HostConfig: { RestartPolicy: { Name: 'always' } },
    };
  }
}

function containerId(commit: string): string {
  return `c0${commit.slice(0, 10)}`;
}

function result(code: number, stdout = '', stderr = ''): RunResult {
  return { code, signal: null, stdout, stderr, durationMs: 1 };
}

async function readAll(stdin: RunOptions['stdin']): Promise<string> {
  if (stdin === undefined) return '';
  if (typeof stdin === 'string' || Buffer.isBuffer(stdin)) return stdin.toString();
  const chunks: Buffer[] = [];
  for await (const chunk of stdin as Readable) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString();
}

export const V1 = '1'.repeat(40);
export const V2 = '2'.repeat(40);
export const V3 = '3'.repeat(40);

export type FakeDeps = EngineDeps & { readonly reporter: RecordingReporter };

/** Deps on the fake server, with a clock that moves only when the engine sleeps. */
export function fakeDeps(server: FakeServer, context?: RunContext): FakeDeps {
  let now = 1_700_000_000_000;
  return {
    reporter: recordingReporter(),
    connect: async () => server,
    lint: async () => {},
    owner: 'unit test',
    clock: () => now,
    sleep: async (ms) => void (now += ms),
    ...(context ? { context } : {}),
  };
}

/** A server where each commit given was deployed in turn (all succeeded), with origin's main at the last. */
export async function serverAfterDeploys(...commits: string[]): Promise<FakeServer> {
  const server = new FakeServer([V1, V2, V3]);
  for (const commit of commits) {
    server.refs.set('main', commit);
    const outcome = await deploy(fakeSettings({ ref: 'main' }), fakeDeps(server));
    if (outcome.status !== 'succeeded') throw new Error(`setting up the fake server: ${outcome.error}`);
  }
  server.runs.length = 0;
  return server;
}
