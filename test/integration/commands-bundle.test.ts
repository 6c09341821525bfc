/**
 * Every command through the bundled action, as GitHub's runner runs it (test/helpers/action-runner.ts):
 * deploy succeeded, rolled back and failed without rollback; each manual command's success and failure.
 * Each asserts the exit code, every output, the annotations and the job summary. One app repository and
 * one sequence of runs, each test starting from what the one before left running.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runChecked } from '../../core/exec/executor.js';
import type { InputName } from '../../core/settings/input-names.js';
import { acquireLock } from '../../core/release/deploy-lock.js';
import { connectSsh, type SshConnection } from '../../core/ssh/ssh-connection.js';
import { freePort } from '../bed/system.js';
import { testbed } from '../bed/testbed.js';
import { type ActionRun, runAction } from '../helpers/action-runner.js';
import { type AppRepo, createAppRepo, removeComposeApp } from '../helpers/app-repo.js';
import { bedCliFlags, bedInputs } from '../helpers/engine.js';
import { type FakeGithub, startFakeGithub } from '../helpers/fake-github.js';
import { pushEvent, scheduleEvent, workflowDispatchEvent } from '../helpers/github-events.js';
import { htmlText, summaryTables } from '../helpers/runner-log.js';
import { bedSettings } from '../helpers/ssh.js';
import { berthStep } from '../helpers/workflow-step.js';

/** A second service (the app's image, built from the same cache), so logs and restart have a choice; `init` lets it stop at once. */
const COMPOSE_WITH_WORKER = `version: '2.4'
services:
  web:
    build: .
    network_mode: host
    init: true
    environment:
      PORT: '\${APP_PORT:-18080}'
    restart: unless-stopped
  worker:
    build: .
    network_mode: host
    init: true
    command: ['sh', '-c', 'while true; do echo tick; sleep 1; done']
    healthcheck:
      disable: true
    restart: unless-stopped
`;

interface Expected {
  readonly code: 0 | 1;
  readonly status: 'succeeded' | 'failed' | 'rolled_back';
  readonly deployedRef: string;
  readonly previousRef: string;
  /** Whether the run names a release (deploy, rollback, status) or not (restart, logs). */
  readonly release: boolean;
  readonly services: readonly string[];
  /** The error annotation's title and message; none when the command succeeded. */
  readonly error?: { readonly title: string; readonly message: RegExp };
  readonly heading: string;
}

/** The outputs of a command that failed before it changed or read anything that runs. */
const failedBeforeAnything = { code: 1, status: 'failed', deployedRef: '', previousRef: '', release: false, services: [] } as const;

/** Exit code, every output, the annotations and the summary's heading. */
function expectRun(run: ActionRun, expected: Expected): void {
  assert.equal(run.code, expected.code, run.output);
  assert.deepEqual(Object.keys(run.outputs).sort(), ['deployed-ref', 'hosts', 'previous-ref', 'release-id', 'services', 'status']);
  assert.equal(run.outputs.status, expected.status);
  assert.equal(run.outputs['deployed-ref'], expected.deployedRef);
  assert.equal(run.outputs['previous-ref'], expected.previousRef);
  if (expected.release) assert.match(run.outputs['release-id'] ?? '', /^\d{8}T\d{6}Z-[a-z0-9]+$/);
  else assert.equal(run.outputs['release-id'], '');
  assert.deepEqual(Object.keys(JSON.parse(run.outputs.services ?? '{}') as object).sort(), [...expected.services].sort());
  // One host: one row, saying what the other outputs say.
  const [row, ...more] = JSON.parse(run.outputs.hosts ?? '') as Array<Record<string, string | null>>;
  assert.deepEqual(more, []);
  const { failedStep, ...rest } = row ?? {};
  assert.deepEqual(rest, {
    host: `127.0.0.1:${testbed().sshd.port}`,
    status: expected.status,
    release: run.outputs['release-id'] || null,
    commit: expected.deployedRef || null,
  });
  assert.equal(failedStep === null, expected.code === 0);
  const errors = run.annotations.filter((annotation) => annotation.level === 'error');
  if (expected.error) {
    assert.equal(errors.length, 2, run.log); // the annotation with its title, and setFailed's line
    assert.equal(errors[0]?.properties.title, expected.error.title);
    assert.match(errors[0]?.message ?? '', expected.error.message);
  } else {
    assert.deepEqual(errors, [], run.log);
  }
  assert.deepEqual(
    run.annotations.filter((annotation) => annotation.level === 'warning'),
    [],
  );
  assert.equal(htmlText(/<h2>(.*?)<\/h2>/.exec(run.summary)?.[1] ?? ''), expected.heading);
}

describe('every command through the bundled action', () => {
  let admin: SshConnection;
  let app: AppRepo;
  let github: FakeGithub;
  let inputs: Partial<Record<InputName, string>>;
  const project = `berth-commands-${process.pid}`;
  const commits: Record<'v1' | 'v2' | 'broken', string> = { v1: '', v2: '', broken: '' };
  /** What the ready-made workflows read from `vars` and `secrets`, pointing at the test bed. */
  let contexts: { vars: Record<string, string>; secrets: Record<string, string> };
  /** What the examples write literally (user, path, URL) and the test bed has otherwise. */
  let bedLiterals: Partial<Record<InputName, string>>;

  const head = async (): Promise<string> => (await runChecked(admin, ['git', '-C', app.path, 'rev-parse', 'HEAD'])).stdout.trim();
  const page = async (): Promise<string> => (await (await fetch(`http://127.0.0.1:${app.port}/`)).text()).trim();
  const releaseCount = async (): Promise<number> => {
    const file = await runChecked(admin, ['cat', `${app.path}/.git/berth/releases.json`]);
    return (JSON.parse(file.stdout) as { releases: unknown[] }).releases.length;
  };
  const startedAt = async (service: string): Promise<string> => {
    const ids = await runChecked(admin, [
      'docker',
      'ps',
      '--quiet',
      '--filter',
      `label=com.docker.compose.service=${service}`,
      '--filter',
      `label=com.docker.compose.project=${project}`,
    ]);
    return (await runChecked(admin, ['docker', 'inspect', '--format', '{{.State.StartedAt}}', ...ids.stdout.split(/\s+/).filter(Boolean)]))
      .stdout;
  };
  const deploy = (sha: string, extra: Partial<Record<InputName, string>> = {}) =>
    runAction({ with: { ...inputs, ...extra }, event: pushEvent(sha), github });
  const manual = (command: string, extra: Partial<Record<InputName, string>> = {}) =>
    runAction({ with: { ...inputs, command, ...extra }, event: workflowDispatchEvent({ command }), sha: commits.v2, github });

  before(async () => {
    admin = await connectSsh(bedSettings());
    app = await createAppRepo(admin, `${testbed().home}/berth-tests/commands-${process.pid}`, await freePort());
    github = await startFakeGithub();
    inputs = bedInputs({ path: app.path, 'project-name': project, 'health-url': `http://localhost:${app.port}/health` });
    const bed = testbed();
    contexts = {
      vars: { DEPLOY_HOST: '127.0.0.1', DEPLOY_KNOWN_HOSTS: bed.sshd.knownHosts, APP_URL: 'https://app.example.com' },
      secrets: { DEPLOY_KEY: bed.keys.ed25519 },
    };
    bedLiterals = {
      port: String(bed.sshd.port),
      username: bed.user,
      path: app.path,
      'project-name': project,
      'health-url': `http://localhost:${app.port}/health`,
    };
    commits.v1 = await head();
    commits.v2 = await app.commit({ 'docker-compose.yml': COMPOSE_WITH_WORKER, 'www/index.html': 'version 2\n' }, 'v2 with a worker');
    commits.broken = await app.commit({ 'www/health': null }, 'broken health');
    const first = await deploy(commits.v1);
    assert.equal(first.code, 0, first.output);
  });

  after(async () => {
    await removeComposeApp(admin, app.path, project);
    await admin.close();
    await github.close();
  });

  it('deploy: the pushed commit runs, recorded as a GitHub Deployment', async () => {
    const run = await runAction({
      with: { ...inputs, 'environment-url': 'https://app.example.com' },
      event: pushEvent(commits.v2),
      token: 'ghs_faketoken1234',
      github,
    });
    expectRun(run, {
      code: 0,
      status: 'succeeded',
      deployedRef: commits.v2,
      previousRef: commits.v1,
      release: true,
      services: ['web', 'worker'],
      heading: '✅ berth deploy: succeeded',
    });
    assert.equal(await page(), 'version 2');
    const [steps, services] = summaryTables(run.summary);
    assert.deepEqual(
      steps?.map((row) => `${row[0]}: ${row[1]}`),
      [
        'step: result',
        'connect: ✅ succeeded',
        'lock: ✅ succeeded',
        'fetch: ✅ succeeded',
        'pull: ✅ succeeded',
        'up: ✅ succeeded',
        'health: ✅ succeeded',
      ],
    );
    assert.deepEqual(services?.find((row) => row[0] === 'web')?.slice(0, 3), ['web', 'running', 'healthy']);
    assert.doesNotMatch(run.output.replace(/::add-mask::.*\n/g, ''), /ghs_faketoken1234/, 'the token appears only in add-mask commands');
    const [create, ...statuses] = run.github;
    assert.equal(create?.path, '/repos/acme/shop/deployments');
    assert.equal(create?.body.ref, commits.v2);
    assert.equal(create?.authorization, 'token ghs_faketoken1234');
    assert.deepEqual(
      statuses.map((r) => r.body.state),
      ['in_progress', 'success'],
    );
    assert.equal(statuses[1]?.body.environment_url, 'https://app.example.com/');
    assert.equal(statuses[1]?.body.log_url, 'https://github.com/acme/shop/actions/runs/1658821493');
  });

  it('deploy that fails its health check: rolled back to what ran, and the step fails', async () => {
    const run = await deploy(commits.broken);
    expectRun(run, {
      code: 1,
      status: 'rolled_back',
      deployedRef: commits.v2,
      previousRef: commits.v2,
      release: true,
      services: ['web', 'worker'],
      error: { title: 'berth: health failed, rolled back', message: /^Health check failed: / },
      heading: '↩️ berth deploy: rolled back',
    });
    assert.match(
      run.summary,
      new RegExp(
        `Rolled back from <code>${commits.broken.slice(0, 12)}</code> to <code>${commits.v2.slice(0, 12)}</code>, with the images kept`,
      ),
    );
    assert.match(run.summary, /Failed step: health/);
    assert.match(run.groups.find((group) => group.title.startsWith('Logs of web'))?.lines.join('\n') ?? '', /response:404/);
    assert.equal(run.github.at(-1)?.body.state, 'failure');
    assert.equal(await page(), 'version 2');
  });

  it('deploy that fails with rollback-on-failure false: failed, and the new version is left as it is', async () => {
    const run = await deploy(commits.broken, { 'rollback-on-failure': 'false' });
    expectRun(run, {
      code: 1,
      status: 'failed',
      deployedRef: '',
      previousRef: commits.v2,
      release: true,
      services: [],
      error: { title: 'berth: health failed', message: /^Health check failed: / },
      heading: '❌ berth deploy: failed',
    });
    assert.equal(await head(), commits.broken);
  });

  it('status of an unhealthy app (the scheduled health-check.yml): the run fails, the summary says why', async () => {
    const step = berthStep(join(process.cwd(), 'examples/workflows/health-check.yml'), scheduleEvent('*/30 * * * *'), contexts);
    const run = await runAction({
      with: { ...step.with, ...bedLiterals },
      event: scheduleEvent('*/30 * * * *'),
      masks: step.masks,
      github,
    });
    expectRun(run, {
      code: 1,
      status: 'failed',
      deployedRef: commits.broken,
      previousRef: '',
      release: true,
      services: ['web', 'worker'],
      error: { title: 'berth: health failed', message: /web/ },
      heading: '❌ berth status: failed',
    });
    const releases = summaryTables(run.summary).at(-1) ?? [];
    assert.deepEqual(releases[0], ['release', 'state', 'commit', 'ref', 'note']);
    assert.deepEqual(
      releases.slice(1).map((row) => `${row[1]} ${row[2]}`),
      [
        `failed ${commits.broken.slice(0, 12)}`,
        `rolled back ${commits.broken.slice(0, 12)}`,
        `succeeded ${commits.v2.slice(0, 12)}`,
        `succeeded ${commits.v1.slice(0, 12)}`,
      ],
    );
    assert.deepEqual(run.github, [], 'status records no deployment');
  });

  it('rollback with an empty ref (manual.yml): the previous good release, from its kept images, exit 0', async () => {
    const event = workflowDispatchEvent({ command: 'rollback', ref: '', services: '' });
    const step = berthStep(join(process.cwd(), 'examples/workflows/manual.yml'), event, contexts);
    const run = await runAction({ with: { ...step.with, ...bedLiterals }, event, sha: commits.broken, masks: step.masks, github });
    expectRun(run, {
      code: 0,
      status: 'succeeded',
      deployedRef: commits.v2,
      previousRef: commits.broken,
      release: true,
      services: ['web', 'worker'],
      heading: '✅ berth rollback: succeeded',
    });
    assert.match(
      htmlText(run.summary),
      new RegExp(
        `Rolled back from ${commits.broken.slice(0, 12)} to ${commits.v2.slice(0, 12)}, with the images kept from that release \\(no rebuild\\)`,
      ),
    );
    assert.ok(!run.log.includes(testbed().keys.ed25519.split('\n')[1] ?? '-'), 'the key is masked');
    assert.equal(await page(), 'version 2');
    // Recorded once it went live, naming the commit restored (not the workflow's GITHUB_SHA).
    assert.equal(run.github[0]?.body.ref, commits.v2);
    assert.deepEqual(
      run.github.slice(1).map((r) => r.body.state),
      ['success'],
    );
  });

  it('status of a healthy app: exit 0, a summary of the commit, the services and the latest releases', async () => {
    const run = await manual('status');
    expectRun(run, {
      code: 0,
      status: 'succeeded',
      deployedRef: commits.v2,
      previousRef: '',
      release: true,
      services: ['web', 'worker'],
      heading: '✅ berth status: succeeded',
    });
    assert.match(htmlText(run.summary), new RegExp(`Commit running: ${commits.v2.slice(0, 12)}`));
    const [steps, services, releases] = summaryTables(run.summary);
    assert.deepEqual(
      steps?.map((row) => row.slice(0, 2)),
      [
        ['step', 'result'],
        ['connect', '✅ succeeded'],
      ],
    );
    assert.deepEqual(services?.[0], ['service', 'state', 'health', 'image']);
    assert.deepEqual(
      services
        ?.slice(1)
        .map((row) => row.slice(0, 3))
        .sort(),
      [
        ['web', 'running', 'healthy'],
        ['worker', 'running', '—'],
      ],
    );
    assert.deepEqual(releases?.[1]?.slice(1, 3), ['succeeded', commits.v2.slice(0, 12)]);
    assert.equal(releases?.[1]?.[4], `rollback from ${commits.broken.slice(0, 12)}`);
  });

  it('logs: one collapsible group per service, each line with its time; services filters', async () => {
    const all = await manual('logs', { 'log-lines': '3' });
    expectRun(all, {
      code: 0,
      status: 'succeeded',
      deployedRef: commits.v2,
      previousRef: '',
      release: false,
      services: [],
      heading: '✅ berth logs: succeeded',
    });
    // The steps before (connect, checking the services) have groups of their own.
    const logGroups = (run: ActionRun) => run.groups.filter((group) => group.title.startsWith('Logs of '));
    assert.deepEqual(
      logGroups(all).map((group) => group.title),
      ['Logs of web (last 3 lines)', 'Logs of worker (last 3 lines)'],
    );
    // Compose v1 starts with "Attaching to …"; every log line is "service_1  | time text".
    const worker = logGroups(all)[1]?.lines.filter((line) => line.includes(' | ')) ?? [];
    assert.equal(worker.length, 3, worker.join('\n'));
    for (const line of worker) assert.match(line, /\| \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z tick$/);
    const one = await manual('logs', { services: 'worker', 'log-lines': '1' });
    assert.equal(one.code, 0, one.output);
    assert.deepEqual(
      logGroups(one).map((group) => group.title),
      ['Logs of worker (last 1 lines)'],
    );
  });

  it('restart: the chosen service restarts and is healthy again, exit 0', async () => {
    const before = await startedAt('web');
    const run = await manual('restart', { services: 'web' });
    expectRun(run, {
      code: 0,
      status: 'succeeded',
      deployedRef: commits.v2,
      previousRef: '',
      release: false,
      services: ['web', 'worker'],
      heading: '✅ berth restart: succeeded',
    });
    assert.notEqual(await startedAt('web'), before);
  });

  it('restart waits for the deploy lock like a deploy, and fails naming the holder', async () => {
    const unlock = await acquireLock(admin, `${app.path}/.git/berth/lock`, { timeoutMs: 0, owner: 'a deploy of the test' });
    try {
      const before = await startedAt('web');
      const run = await manual('restart', { 'lock-timeout': '0' });
      expectRun(run, {
        ...failedBeforeAnything,
        error: { title: 'berth: lock failed', message: /holds the lock .*\(a deploy of the test\)/ },
        heading: '❌ berth restart: failed',
      });
      assert.equal(await startedAt('web'), before);
    } finally {
      await unlock();
    }
  });

  it('an unknown service fails every command naming the input, with nothing changed', async () => {
    const web = await startedAt('web');
    const releases = await releaseCount();
    for (const command of ['restart', 'logs', 'status', 'deploy', 'rollback']) {
      const run = await manual(command, { services: 'web nosuch' });
      expectRun(run, {
        ...failedBeforeAnything,
        error: {
          title: 'berth: invalid input',
          message: /^Invalid input 'services': "nosuch" is not a service of the Compose project in .*\. Expected names from: web, worker\./,
        },
        heading: `❌ berth ${command}: failed`,
      });
    }
    assert.equal(await startedAt('web'), web);
    assert.equal(await releaseCount(), releases);
  });

  it('logs fails when Compose cannot show them', async () => {
    const run = await manual('logs', { 'compose-files': 'nosuch.yml' });
    expectRun(run, {
      ...failedBeforeAnything,
      error: { title: 'berth: logs failed', message: /nosuch\.yml/ },
      heading: '❌ berth logs: failed',
    });
  });

  it('rollback to a named commit: that commit runs, exit 0', async () => {
    const run = await manual('rollback', { ref: commits.v1 });
    expectRun(run, {
      code: 0,
      status: 'succeeded',
      deployedRef: commits.v1,
      previousRef: commits.v2,
      release: true,
      services: ['web'],
      heading: '✅ berth rollback: succeeded',
    });
    assert.equal(await page(), '<h1>hello from berth</h1>');
    assert.equal(run.github[0]?.body.ref, commits.v1);
  });

  it('rollback to a ref the server does not have: an error naming the input, nothing changed', async () => {
    const releases = await releaseCount();
    const run = await manual('rollback', { ref: 'no-such-branch' });
    expectRun(run, {
      ...failedBeforeAnything,
      error: { title: 'berth: invalid input', message: /^Invalid input 'ref': "no-such-branch" does not name a commit in / },
      heading: '❌ berth rollback: failed',
    });
    assert.equal(await head(), commits.v1);
    assert.equal(await releaseCount(), releases);
    assert.equal(await page(), '<h1>hello from berth</h1>');
    assert.deepEqual(run.github, [], 'nothing went live, so no deployment is recorded');
  });

  it('rollback that fails: what ran before is put back, and the step fails', async () => {
    const releases = await releaseCount();
    const run = await manual('rollback', { ref: commits.broken });
    expectRun(run, {
      code: 1,
      status: 'failed',
      deployedRef: commits.v1,
      previousRef: commits.v1,
      release: true,
      services: ['web'],
      error: { title: 'berth: rollback failed', message: /berth put back [0-9a-f]{12}, which ran before the rollback/ },
      heading: '❌ berth rollback: failed',
    });
    assert.equal(await head(), commits.v1);
    assert.equal(await page(), '<h1>hello from berth</h1>');
    assert.equal(await releaseCount(), releases + 1, 'the failed rollback is recorded');
    assert.deepEqual(run.github, [], 'nothing went live, so no deployment is recorded');
  });

  it('runs the same engine from the CLI bundle', async () => {
    const result = spawnSync(
      process.execPath,
      [join(process.cwd(), 'dist/cli/index.js'), 'status', ...bedCliFlags(), '--path', app.path, '--project-name', project],
      { encoding: 'utf8', timeout: 120_000 },
    );
    assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
    assert.match(result.stdout, new RegExp(`running: ${commits.v1}`));
    assert.match(result.stdout, /web: running \(healthy\)/);
    const unknown = spawnSync(
      process.execPath,
      [
        join(process.cwd(), 'dist/cli/index.js'),
        'logs',
        ...bedCliFlags(),
        '--path',
        app.path,
        '--project-name',
        project,
        '--services',
        'nosuch',
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    assert.equal(unknown.status, 2, 'an unknown service is invalid input');
    assert.match(unknown.stdout, /Invalid input 'services'/);
  });

  it('exits 0 from the CLI bundle for a rollback that worked, saying from which commit to which', async () => {
    const pairs: Array<[string, string]> = [
      [commits.v1, commits.v2],
      [commits.v2, commits.v1],
    ];
    for (const [from, to] of pairs) {
      const cli = spawnSync(
        process.execPath,
        [
          join(process.cwd(), 'dist/cli/index.js'),
          'rollback',
          ...bedCliFlags(),
          '--path',
          app.path,
          '--project-name',
          project,
          '--ref',
          to,
        ],
        { encoding: 'utf8', timeout: 120_000 },
      );
      assert.equal(cli.status, 0, `${cli.stdout}${cli.stderr}`);
      assert.match(cli.stdout, /^status: succeeded$/m);
      assert.match(cli.stdout, new RegExp(`^rolled back from ${from} to ${to} \\(kept images\\)$`, 'm'));
    }
  });
});

describe('a rollback on a server with no release yet', () => {
  it('fails naming the input to give, and changes nothing', async () => {
    const admin = await connectSsh(bedSettings());
    try {
      const app = await createAppRepo(admin, `${testbed().home}/berth-tests/first-${process.pid}`, await freePort());
      const before = (await runChecked(admin, ['git', '-C', app.path, 'rev-parse', 'HEAD'])).stdout.trim();
      const run = await runAction({
        with: { ...bedInputs({ path: app.path, 'project-name': `berth-first-${process.pid}` }), command: 'rollback' },
        event: workflowDispatchEvent({ command: 'rollback', ref: '' }),
      });
      expectRun(run, {
        ...failedBeforeAnything,
        error: {
          title: 'berth: rollback failed',
          message: /^Nothing to roll back to: input 'ref' is empty and there is no good release[\s\S]*as the input 'ref'/,
        },
        heading: '❌ berth rollback: failed',
      });
      assert.equal((await runChecked(admin, ['git', '-C', app.path, 'rev-parse', 'HEAD'])).stdout.trim(), before);
      assert.notEqual((await admin.run(['test', '-e', `${app.path}/.git/berth/releases.json`])).code, 0, 'no release was recorded');
      assert.deepEqual(run.github, []);
    } finally {
      await admin.close();
    }
  });
});
