/** The push path end to end: the real sshd, git and the Docker engine with the example app. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { fileCommands } from '../../core/commands/files.js';
import { type DeployDeps, deploy } from '../../core/engine/deploy.js';
import { runLint } from '../../core/engine/lint.js';
import { runCommand } from '../../core/engine/run-command.js';
import { runChecked } from '../../core/exec/executor.js';
import { LocalExecutor } from '../../core/exec/local-executor.js';
import type { Settings } from '../../core/settings/settings.js';
import { connectSsh, type SshConnection } from '../../core/ssh/ssh-connection.js';
import { freePort } from '../bed/system.js';
import { testbed } from '../bed/testbed.js';
import { type AppRepo, createAppRepo } from '../helpers/app-repo.js';
import { bedInputs, type RecordingReporter, recordingReporter, settingsFrom } from '../helpers/engine.js';
import { bedSettings } from '../helpers/ssh.js';

const page = async (port: number, path = '/'): Promise<string> => {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return `${response.status} ${(await response.text()).trim()}`;
};

function depsFor(settings: Settings, reporter: RecordingReporter, counters = { connects: 0 }): DeployDeps {
  return {
    reporter,
    connect: () => {
      counters.connects++;
      return connectSsh(settings.ssh);
    },
    lint: (command) => runLint(new LocalExecutor(), command, process.cwd(), reporter),
    owner: 'deploy.test',
  };
}

describe('deploy', () => {
  let admin: SshConnection;
  let app: AppRepo;
  const project = `berth-e2e-${process.pid}`;
  let inputs: ReturnType<typeof bedInputs>;

  before(async () => {
    admin = await connectSsh(bedSettings());
    app = await createAppRepo(admin, `${testbed().home}/berth-tests/deploy ${process.pid} $(x)`, await freePort());
    inputs = bedInputs({ path: app.path, 'project-name': project, 'health-url': `http://localhost:${app.port}/health` });
  });

  after(async () => {
    await admin.run(['docker-compose', '--project-name', project, 'down', '--rmi', 'local', '--remove-orphans'], { cwd: app.path });
    await admin.close();
  });

  it('ships the first release and proves it healthy', async () => {
    const commit = (await runChecked(admin, ['git', '-C', app.path, 'rev-parse', 'HEAD'])).stdout.trim();
    const reporter = recordingReporter();
    const settings = settingsFrom({ ...inputs, ref: 'main' });
    const outcome = await deploy(settings, depsFor(settings, reporter));
    assert.equal(outcome.status, 'succeeded', reporter.text());
    assert.equal(outcome.deployedRef, commit);
    assert.equal(outcome.services.web?.state, 'running');
    assert.equal(outcome.services.web?.health, 'healthy');
    assert.ok(outcome.healthyAfterMs !== undefined);
    assert.deepEqual(
      outcome.steps.map((s) => s.name),
      ['connect', 'lock', 'fetch', 'pull', 'up', 'health'],
    );
    // Its one service is built here: the Compose file says so, and Compose is not started to pull nothing.
    assert.match(reporter.text(), /Nothing to pull: every service is built from source\./);
    assert.equal(await page(app.port), '200 <h1>hello from berth</h1>');
    assert.equal(outcome.release?.state, 'succeeded');
  });

  it('updates to exactly the requested commit, not the branch tip', async () => {
    const v2 = await app.commit({ 'www/index.html': 'version 2\n' }, 'v2');
    await app.commit({ 'www/index.html': 'version 3, not asked for\n' }, 'v3');
    const reporter = recordingReporter();
    const settings = settingsFrom({ ...inputs, ref: v2 });
    const outcome = await deploy(settings, depsFor(settings, reporter));
    assert.equal(outcome.status, 'succeeded', reporter.text());
    assert.equal(outcome.deployedRef, v2);
    assert.equal(await page(app.port), '200 version 2');
    const head = (await runChecked(admin, ['git', '-C', app.path, 'rev-parse', 'HEAD'])).stdout.trim();
    assert.equal(head, v2);
  });

  it('rolls an unhealthy commit back to the previous good release, with its logs', async () => {
    const good = (await runChecked(admin, ['git', '-C', app.path, 'rev-parse', 'HEAD'])).stdout.trim();
    const broken = await app.commit({ 'www/health': null, 'www/index.html': 'broken\n' }, 'broken');
    const reporter = recordingReporter();
    const settings = settingsFrom({ ...inputs, ref: broken });
    const outcome = await deploy(settings, depsFor(settings, reporter));
    assert.equal(outcome.status, 'rolled_back', reporter.text());
    assert.equal(outcome.failedStep, 'health');
    assert.match(outcome.error ?? '', /web is unhealthy|answered 404/);
    assert.equal(outcome.deployedRef, good);
    assert.equal(outcome.previousRef, good);
    assert.equal(await page(app.port), '200 version 2');
    assert.ok(
      reporter.groups.some((g) => g.startsWith('Logs of web')),
      reporter.groups.join(', '),
    );
    assert.match(reporter.text(), /GET \/health|404|wget/i);
    const rollback = outcome.steps.find((s) => s.name === 'rollback');
    assert.equal(rollback?.result, 'succeeded');
    const head = (await runChecked(admin, ['git', '-C', app.path, 'rev-parse', 'HEAD'])).stdout.trim();
    assert.equal(head, good);
    assert.equal(outcome.release?.state, 'rolled_back');
  });

  it('names a failed build as the build step and keeps the running version', async () => {
    const good = (await runChecked(admin, ['git', '-C', app.path, 'rev-parse', 'HEAD'])).stdout.trim();
    const broken = await app.commit(
      { 'www/health': 'ok\n', Dockerfile: 'FROM berth-example/busybox:latest\nRUN exit 7\n' },
      'broken build',
    );
    const reporter = recordingReporter();
    const settings = settingsFrom({ ...inputs, ref: broken });
    const outcome = await deploy(settings, depsFor(settings, reporter));
    assert.equal(outcome.status, 'rolled_back', reporter.text());
    assert.equal(outcome.failedStep, 'build');
    assert.match(outcome.error ?? '', /build/);
    assert.equal(outcome.deployedRef, good);
    assert.equal(await page(app.port), '200 version 2');
    await app.commit({ Dockerfile: readFileSync('examples/hello/Dockerfile', 'utf8') }, 'fix the build');
  });

  it("waits for another run's lock, fails naming the holder, and goes on once that run's connection drops", async () => {
    const head = (await runChecked(admin, ['git', '-C', app.path, 'rev-parse', 'HEAD'])).stdout.trim();
    const other = await connectSsh(bedSettings());
    const held = other.run(fileCommands.holdLock(`${app.path}/.git/berth/lock`, 'GitHub run 7 by alice'), { stdin: new PassThrough() });
    held.catch(() => undefined);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const reporter = recordingReporter();
      const settings = settingsFrom({ ...inputs, ref: 'main', 'lock-timeout': '1' });
      const outcome = await deploy(settings, depsFor(settings, reporter));
      assert.equal(outcome.status, 'failed');
      assert.equal(outcome.failedStep, 'lock');
      assert.match(outcome.error ?? '', /holds the lock .*GitHub run 7 by alice.*within 1s/s);
      assert.match(reporter.text(), /Waiting for another run to finish: GitHub run 7 by alice/);
      assert.equal((await runChecked(admin, ['git', '-C', app.path, 'rev-parse', 'HEAD'])).stdout.trim(), head);
      // restart changes what runs, so it waits for the lock too instead of racing the holder's health check.
      const startedAt = async (): Promise<string> =>
        (
          await runChecked(admin, [
            'sh',
            '-c',
            'docker inspect --format "{{.State.StartedAt}}" $(docker ps -q --filter "label=com.docker.compose.project=$1")',
            'sh',
            project,
          ])
        ).stdout;
      const started = await startedAt();
      const restartSettings = settingsFrom({ ...inputs, command: 'restart', 'lock-timeout': '1' });
      const restart = await runCommand(restartSettings, depsFor(restartSettings, recordingReporter()));
      assert.equal(restart.failedStep, 'lock');
      assert.match(restart.error ?? '', /GitHub run 7 by alice/);
      assert.equal(await startedAt(), started, 'nothing was restarted');
    } finally {
      // The holder's job is cancelled: its connection ends, and with it the lock.
      await other.close();
    }
    const nextSettings = settingsFrom({ ...inputs, ref: head, 'lock-timeout': '10' });
    const next = await deploy(nextSettings, depsFor(nextSettings, recordingReporter()));
    assert.equal(next.status, 'succeeded', next.error);
  });

  it("says at once that the lock's owner file cannot be written, instead of waiting as if another run held it", async () => {
    const owner = `${app.path}/.git/berth/lock.owner`;
    await runChecked(admin, ['sh', '-c', 'rm -f -- "$1" && mkdir -- "$1"', 'sh', owner]);
    try {
      const settings = settingsFrom({ ...inputs, ref: 'main', 'lock-timeout': '600' });
      const outcome = await deploy(settings, depsFor(settings, recordingReporter()));
      assert.equal(outcome.failedStep, 'lock');
      assert.match(outcome.error ?? '', /Could not write the deploy lock's owner file .*lock\.owner/);
      assert.ok((outcome.steps.find((s) => s.name === 'lock')?.durationMs ?? Infinity) < 10_000);
    } finally {
      await runChecked(admin, ['rmdir', '--', owner]);
    }
  });

  it('stops at a failing lint without connecting', async () => {
    const reporter = recordingReporter();
    const counters = { connects: 0 };
    const settings = settingsFrom({ ...inputs, ref: 'main', 'lint-command': 'echo "lint: 2 problems"; exit 3' });
    const outcome = await deploy(settings, depsFor(settings, reporter, counters));
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.failedStep, 'lint');
    assert.match(outcome.error ?? '', /exited with code 3/);
    assert.match(reporter.text(), /lint: 2 problems/);
    assert.equal(counters.connects, 0);
  });

  it('refuses a server with the wrong host key and executes nothing', async () => {
    const bed = testbed();
    const before = (await runChecked(admin, ['git', '-C', app.path, 'rev-parse', 'HEAD'])).stdout.trim();
    const forged = bed.jump.knownHosts.replaceAll(`[127.0.0.1]:${bed.jump.port}`, `[127.0.0.1]:${bed.sshd.port}`);
    const settings = settingsFrom({ ...inputs, ref: 'main', 'known-hosts': forged });
    const outcome = await deploy(settings, depsFor(settings, recordingReporter()));
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.failedStep, 'connect');
    assert.match(outcome.error ?? '', /DOES NOT MATCH/);
    const after = (await runChecked(admin, ['git', '-C', app.path, 'rev-parse', 'HEAD'])).stdout.trim();
    assert.equal(after, before);
  });

  it('fails a ref that does not exist without touching what runs', async () => {
    const settings = settingsFrom({ ...inputs, ref: 'no-such-branch' });
    const outcome = await deploy(settings, depsFor(settings, recordingReporter()));
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.failedStep, 'fetch');
    assert.match(outcome.error ?? '', /does not name a commit/);
    assert.equal(await page(app.port), '200 version 2');
  });

  it('deploys a branch whose name holds shell syntax without executing it', async () => {
    const branch = 'x$(id>pwned);true';
    await app.commit({ 'www/index.html': 'version 2\n', 'www/health': 'ok\n' }, 'hostile branch');
    await runChecked(admin, ['git', '-C', `${app.root}/work`, 'push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`]);
    const reporter = recordingReporter();
    const settings = settingsFrom({ ...inputs, ref: branch });
    const outcome = await deploy(settings, depsFor(settings, reporter));
    assert.equal(outcome.status, 'succeeded', reporter.text());
    const found = await admin.run(['sh', '-c', 'find "$1" "$2" -maxdepth 3 -name pwned | grep -q .', 'find', testbed().home, app.root]);
    assert.equal(found.code, 1, 'no file named pwned was created');
  });

  it('reports status, logs and restart through the same engine', async () => {
    // The release history lives in .git/berth: a clean of the app directory keeps it.
    await runChecked(admin, ['git', '-C', app.path, 'clean', '-ffdx']);
    const reporter = recordingReporter();
    const statusSettings = settingsFrom({ ...inputs, command: 'status' });
    const status = await runCommand(statusSettings, depsFor(statusSettings, reporter));
    assert.equal(status.status, 'succeeded', reporter.text());
    assert.equal(status.services.web?.health, 'healthy');
    assert.match(reporter.text(), /rolled_back/);
    // A run killed after its checkout leaves another commit checked out: what runs is what the history says.
    const running = (await runChecked(admin, ['git', '-C', app.path, 'rev-parse', 'HEAD'])).stdout.trim();
    const other = (await runChecked(admin, ['git', '-C', app.path, 'rev-parse', 'HEAD~1'])).stdout.trim();
    await runChecked(admin, ['git', '-C', app.path, 'checkout', '--quiet', '--detach', other]);
    const moved = await runCommand(statusSettings, depsFor(statusSettings, recordingReporter()));
    await runChecked(admin, ['git', '-C', app.path, 'checkout', '--quiet', '--detach', running]);
    assert.equal(moved.deployedRef, running);
    assert.equal(moved.checkedOut, other);
    const restartSettings = settingsFrom({ ...inputs, command: 'restart', services: 'web' });
    const restarted = await runCommand(restartSettings, depsFor(restartSettings, reporter));
    assert.equal(restarted.status, 'succeeded', reporter.text());
    const logsReporter = recordingReporter();
    const logsSettings = settingsFrom({ ...inputs, command: 'logs', 'log-lines': '5' });
    const logs = await runCommand(logsSettings, depsFor(logsSettings, logsReporter));
    assert.equal(logs.status, 'succeeded');
    assert.match(logsReporter.text(), /web/);
  });

  it('rolls back by hand to the previous good release from kept images', async () => {
    const reporter = recordingReporter();
    const v1 = (await runChecked(admin, ['git', '-C', app.path, 'rev-list', '--max-parents=0', 'HEAD'])).stdout.trim();
    const settings = settingsFrom({ ...inputs, command: 'rollback', ref: v1 });
    const outcome = await runCommand(settings, depsFor(settings, reporter));
    assert.equal(outcome.status, 'succeeded', reporter.text());
    assert.equal(outcome.deployedRef, v1);
    assert.deepEqual(outcome.rollback, { from: outcome.previousRef, to: v1, images: 'kept' });
    assert.doesNotMatch(reporter.text(), /rebuilding/);
    assert.equal(await page(app.port), '200 <h1>hello from berth</h1>');
    const kept = await runChecked(admin, [
      'docker',
      'image',
      'ls',
      '--format',
      '{{.Tag}}',
      '--filter',
      `reference=berth-keep/${project}/*`,
    ]);
    const tags = kept.stdout.split('\n').filter(Boolean);
    assert.ok(tags.length >= 2 && tags.length <= 5, `kept images are bounded: ${tags.join(' ')}`);
  });
});
