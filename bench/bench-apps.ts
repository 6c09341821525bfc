/**
 * The apps the deploy and rollback benchmarks ship, and berth's side of them per strategy: two copies of
 * one app on the test server, one deployed by berth, one by the hand-written workflow, each with its own
 * checkout, Compose project and port.
 */
import type { Outcome } from '../core/engine/outcome.js';
import { type Reporter, silentReporter } from '../core/engine/reporter.js';
import { runCommand } from '../core/engine/run-command.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROXY_CONTAINER } from '../core/commands/proxy.js';
import { type Executor, runChecked } from '../core/exec/executor.js';
import type { InputName } from '../core/settings/input-names.js';
import { connectSsh } from '../core/ssh/ssh-connection.js';
import type { RunningTestbed } from '../test/bed/start-testbed.js';
import { CADDY_IMAGE } from '../test/bed/caddy-image.js';
import { freePort } from '../test/bed/system.js';
import { type AppRepo, createAppRepo, removeComposeApp } from '../test/helpers/app-repo.js';
import { bedInputs, settingsFrom } from '../test/helpers/engine.js';
import { bedSettings } from '../test/helpers/ssh.js';
import { removeProxyServer } from '../test/helpers/proxy.js';
import { bootingComposeFile, dependencyLayerDockerfile } from './booting-app.js';
import { HAND_DEPLOY, handWritten } from './hand-written.js';
import { traced } from './traced-executor.js';

type Inputs = Partial<Record<InputName, string>>;

export interface BenchApp {
  /** Its key in bench-results.json. */
  readonly name: string;
  /** How the output describes it. */
  readonly title: string;
  /** Seconds from its container's start to its first answer. */
  readonly startSeconds: number;
  /** Files committed over examples/hello, in both copies. */
  readonly files: Readonly<Record<string, string>>;
}

/** examples/hello as it is: a 3 s "install dependencies" layer, serving as soon as it starts. */
export const EXAMPLE_APP: BenchApp = {
  name: 'example',
  title: 'the example app (a 3 s dependency layer, serves at once)',
  startSeconds: 0,
  files: {},
};

/** The app the issue measured on: a 1 s start and a 4 s dependency layer. */
export const BOOTING_APP: BenchApp = {
  name: 'booting',
  title: 'an app with a 1 s start and a 4 s dependency layer',
  startSeconds: 1,
  files: { Dockerfile: dependencyLayerDockerfile(4), 'docker-compose.yml': bootingComposeFile(1, '500ms', '10s') },
};

/** What a strategy changes in berth's copy of the app. */
export interface BerthSetup {
  /** Committed over the bench app's files (a Compose file that takes the colour's port, for blue-green). */
  readonly files: Readonly<Record<string, string>>;
  /** berth's inputs beyond the bed's, `path` and `health-url`. */
  readonly inputs: Inputs;
  /** The port the public reaches the app on (the proxy's, for blue-green): the health URL's and the probe's. */
  readonly port: number;
}

/** A deploy strategy as the benchmarks run it. */
export interface Strategy {
  readonly name: string;
  /** berth's copy of `app` under this strategy. */
  setUp(admin: Executor, app: AppRepo, bench: BenchApp): Promise<BerthSetup>;
  /** Ends what the strategy started beside the app of Compose project `project` (its server in the proxy), after the app is gone. */
  cleanUp(admin: Executor, project: string): Promise<void>;
  /** What another run on the machine could replace under the bench (the shared proxy's container): compared before and after each round. */
  shared(admin: Executor): Promise<string>;
}

/** berth's default: `up` replaces the running container in place. */
export const RECREATE: Strategy = {
  name: 'recreate',
  setUp: async (_admin, app) => ({ files: {}, inputs: {}, port: app.port }),
  cleanUp: async () => {},
  shared: async () => '',
};

/** A 2 s request, answered by the colour that took it (its port): `slow-done on port 5001`. */
export const SLOW_PATH = '/cgi-bin/slow';
const SLOW_CGI = '#!/bin/sh\nsleep 2\nprintf "Content-Type: text/plain\\r\\n\\r\\nslow-done on port %s\\n" "$PORT"\n';

/**
 * The web service in two colours behind berth's proxy (the test bed's Caddy image), each listening on
 * its own port (`BERTH_PORT`) with host networking; the public reaches it on the proxy's port. The app
 * has SLOW_PATH for a request in flight across the switch.
 */
export const BLUE_GREEN: Strategy = {
  name: 'blue-green',
  setUp: async (admin, app, bench) => {
    const [publicPort, blue, green] = [await freePort(), await freePort(), await freePort()];
    const compose = bench.files['docker-compose.yml'] ?? readFileSync(join(process.cwd(), 'examples/hello/docker-compose.yml'), 'utf8');
    if (!compose.includes('${APP_PORT:-18080}'))
      throw new Error(`the ${bench.name} app's Compose file does not name its port as \${APP_PORT:-18080}`);
    const slow = `${app.root}/work/www${SLOW_PATH}`;
    await app.commit({ 'www/cgi-bin/slow': SLOW_CGI }, 'a slow endpoint');
    await runChecked(admin, ['chmod', '+x', slow]);
    return {
      files: { 'docker-compose.yml': compose.replace('${APP_PORT:-18080}', `\${BERTH_PORT:-${blue}}`) },
      inputs: { strategy: 'blue-green', 'public-port': String(publicPort), 'colour-ports': `${blue} ${green}`, 'proxy-image': CADDY_IMAGE },
      port: publicPort,
    };
  },
  cleanUp: (admin, project) => removeProxyServer(admin, project),
  // The proxy is one per machine: another run's clean-up may remove it (and its saved config) mid-round.
  shared: async (admin) => (await admin.run(['docker', 'inspect', '--format', '{{.Id}}', PROXY_CONTAINER])).stdout.trim(),
};

/** One copy of the app: its repository, and the URL the public reaches it on. */
export interface BenchCopy {
  readonly repo: AppRepo;
  readonly url: string;
}

export interface BenchPair {
  readonly berth: BenchCopy;
  readonly hand: BenchCopy;
  /** Runs a berth command (deploy or rollback) on berth's copy, in process (silent, or shown to `reporter`); rejects unless it succeeds. */
  berthRun(command: 'deploy' | 'rollback', ref?: string, reporter?: Reporter): Promise<Outcome>;
  /** berth's Compose project. */
  readonly project: string;
  /** berth's inputs for its copy (with `command` and `ref` added per run). */
  readonly inputs: Inputs;
  /** The hand-written deploy of the hand-written copy. */
  handDeploy(): Promise<void>;
  /** Runs `round`, and rejects when another run on the machine replaced what the strategy shares meanwhile (its results would be another run's). */
  undisturbed<T>(label: string, round: () => Promise<T>): Promise<T>;
  /** Stops both copies and removes their images, berth's kept ones included. */
  remove(): Promise<void>;
}

/**
 * Runs `fn` on both copies of `bench`, each first deployed its own way (the hand-written one only with
 * `hand`), and removes them after.
 */
export async function withBenchPair<T>(
  testbed: RunningTestbed,
  label: string,
  bench: BenchApp,
  strategy: Strategy,
  options: { readonly hand: boolean },
  fn: (pair: BenchPair, admin: Executor) => Promise<T>,
): Promise<T> {
  const admin = await connectSsh(bedSettings());
  try {
    const pair = await benchPair(admin, testbed, `${label}-${bench.name}-${strategy.name}-${process.pid}`, bench, strategy);
    try {
      await pair.berthRun('deploy', 'main');
      if (options.hand) await pair.handDeploy();
      return await fn(pair, admin);
    } finally {
      await pair.remove();
    }
  } finally {
    await admin.close();
  }
}

/** Both copies of `bench`, in `${home}/berth-bench/<label>`; nothing deployed yet. */
async function benchPair(admin: Executor, testbed: RunningTestbed, label: string, bench: BenchApp, strategy: Strategy): Promise<BenchPair> {
  const root = `${testbed.bed.home}/berth-bench/${label}`;
  const projects = { berth: `berth-bench-${label}-berth`, hand: `berth-bench-${label}-hand` };
  const copy = async (side: 'berth' | 'hand') => {
    const repo = await createAppRepo(admin, `${root}/${side}`, await freePort(), { COMPOSE_PROJECT_NAME: projects[side] });
    if (Object.keys(bench.files).length > 0) await repo.commit({ ...bench.files }, bench.name);
    return repo;
  };
  const [berthRepo, handRepo] = [await copy('berth'), await copy('hand')];
  const setup = await strategy.setUp(admin, berthRepo, bench);
  if (Object.keys(setup.files).length > 0) await berthRepo.commit({ ...setup.files }, strategy.name);
  const inputs = bedInputs({
    path: berthRepo.path,
    'project-name': projects.berth,
    'health-url': `http://localhost:${setup.port}/health`,
    ...setup.inputs,
  });
  return {
    berth: { repo: berthRepo, url: `http://127.0.0.1:${setup.port}/` },
    hand: { repo: handRepo, url: `http://127.0.0.1:${handRepo.port}/` },
    project: projects.berth,
    inputs,
    berthRun: async (command, ref, reporter = silentReporter) => {
      const settings = settingsFrom({ ...inputs, command, ref: ref ?? '' });
      const outcome = await runCommand(settings, {
        reporter,
        connect: async (ssh) => traced(await connectSsh(ssh)),
        lint: async () => {},
        owner: 'bench',
      });
      if (outcome.status !== 'succeeded') throw new Error(`berth ${command} ${outcome.status}: ${outcome.error}`);
      return outcome;
    },
    handDeploy: () => handWritten(testbed, HAND_DEPLOY, [handRepo.path]),
    undisturbed: async (label, round) => {
      const before = await strategy.shared(admin);
      const disturbed = async () => (await strategy.shared(admin)) !== before;
      const why = `${label}: another run on this machine replaced the shared ${PROXY_CONTAINER} meanwhile; run the bench again when no other blue-green run is going`;
      try {
        const result = await round();
        if (await disturbed()) throw new Error(why);
        return result;
      } catch (error) {
        throw (await disturbed()) ? new Error(why, { cause: error }) : error;
      }
    },
    remove: async () => {
      await removeComposeApp(admin, berthRepo.path, projects.berth);
      await removeComposeApp(admin, handRepo.path, projects.hand);
      await strategy.cleanUp(admin, projects.berth);
    },
  };
}
