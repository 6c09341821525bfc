/**
 * The apps the deploy and rollback benchmarks ship, and berth's side of them per strategy: two copies of
 * one app on the test server, one deployed by berth, one by the hand-written workflow, each with its own
 * checkout, Compose project and port.
 */
import type { Outcome } from '../core/engine/outcome.js';
import { silentReporter } from '../core/engine/reporter.js';
import { runCommand } from '../core/engine/run-command.js';
import type { Executor } from '../core/exec/executor.js';
import type { InputName } from '../core/settings/input-names.js';
import { connectSsh } from '../core/ssh/ssh-connection.js';
import type { RunningTestbed } from '../test/bed/start-testbed.js';
import { freePort } from '../test/bed/system.js';
import { type AppRepo, createAppRepo, removeComposeApp } from '../test/helpers/app-repo.js';
import { bedInputs, settingsFrom } from '../test/helpers/engine.js';
import { bootingComposeFile, dependencyLayerDockerfile } from './booting-app.js';

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
  setUp(app: AppRepo, bench: BenchApp): Promise<BerthSetup>;
  /** Ends what the strategy started beside the app (a proxy), after the app is gone. */
  cleanUp(admin: Executor): Promise<void>;
}

/** berth's default: `up` replaces the running container in place. */
export const RECREATE: Strategy = {
  name: 'recreate',
  setUp: async (app) => ({ files: {}, inputs: {}, port: app.port }),
  cleanUp: async () => {},
};

/** One copy of the app: its repository, and the URL the public reaches it on. */
export interface BenchCopy {
  readonly repo: AppRepo;
  readonly url: string;
}

export interface BenchPair {
  readonly berth: BenchCopy;
  readonly hand: BenchCopy;
  /** Runs a berth command (deploy or rollback) on berth's copy, in process; rejects unless it succeeds. */
  berthRun(command: 'deploy' | 'rollback', ref?: string): Promise<Outcome>;
  /** Stops both copies and removes their images, berth's kept ones included. */
  remove(): Promise<void>;
}

/** Both copies of `bench`, in `${home}/berth-bench/<label>`; nothing deployed yet. */
export async function benchPair(
  admin: Executor,
  testbed: RunningTestbed,
  label: string,
  bench: BenchApp,
  strategy: Strategy,
): Promise<BenchPair> {
  const root = `${testbed.bed.home}/berth-bench/${label}`;
  const projects = { berth: `berth-bench-${label}-berth`, hand: `berth-bench-${label}-hand` };
  const copy = async (side: 'berth' | 'hand') => {
    const repo = await createAppRepo(admin, `${root}/${side}`, await freePort(), { COMPOSE_PROJECT_NAME: projects[side] });
    if (Object.keys(bench.files).length > 0) await repo.commit({ ...bench.files }, bench.name);
    return repo;
  };
  const [berthRepo, handRepo] = [await copy('berth'), await copy('hand')];
  const setup = await strategy.setUp(berthRepo, bench);
  if (Object.keys(setup.files).length > 0) await berthRepo.commit({ ...setup.files }, strategy.name);
  const inputs = bedInputs({
    path: berthRepo.path,
    'health-url': `http://localhost:${setup.port}/health`,
    ...setup.inputs,
  });
  return {
    berth: { repo: berthRepo, url: `http://127.0.0.1:${setup.port}/` },
    hand: { repo: handRepo, url: `http://127.0.0.1:${handRepo.port}/` },
    berthRun: async (command, ref) => {
      const settings = settingsFrom({ ...inputs, command, ref: ref ?? '' });
      const outcome = await runCommand(settings, {
        reporter: silentReporter,
        connect: (ssh) => connectSsh(ssh),
        lint: async () => {},
        owner: 'bench',
      });
      if (outcome.status !== 'succeeded') throw new Error(`berth ${command} ${outcome.status}: ${outcome.error}`);
      return outcome;
    },
    remove: async () => {
      await removeComposeApp(admin, berthRepo.path, projects.berth);
      await removeComposeApp(admin, handRepo.path, projects.hand);
      await strategy.cleanUp(admin);
    },
  };
}
