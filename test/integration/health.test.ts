/**
 * The health check against the real sshd and Docker engine: readiness seen while Docker still
 * says `starting`, restart loops, exit codes, the project's own prune, the fetched branch tip,
 * and credentials in the health URL kept out of everything berth writes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type DeployDeps, deploy } from '../../core/engine/deploy.js';
import { runCommand } from '../../core/engine/run-command.js';
import { runChecked } from '../../core/exec/executor.js';
import type { Settings } from '../../core/settings/settings.js';
import { connectSsh, type SshConnection } from '../../core/ssh/ssh-connection.js';
import { freePort } from '../bed/system.js';
import { testbed } from '../bed/testbed.js';
import { runAction } from '../helpers/action-runner.js';
import { type AppRepo, createAppRepo } from '../helpers/app-repo.js';
import { bedInputs, type RecordingReporter, recordingReporter, settingsFrom } from '../helpers/engine.js';
import { bedSettings } from '../helpers/ssh.js';

/** The example app's Compose file with `web` changed as given (YAML lines under `web:`), and extra services. */
function composeFile(web: string[] = [], services: string[] = []): string {
  return [
    "version: '2.4'",
    'services:',
    '  web:',
    '    build: .',
    '    network_mode: host',
    '    init: true',
    '    environment:',
    "      PORT: '${APP_PORT:-18080}'",
    ...web.map((line) => `    ${line}`),
    ...services.map((line) => `  ${line}`),
    '',
  ].join('\n');
}

/** Docker's first healthcheck comes 30 s after start: the case berth must not wait for. */
const SLOW_INTERVAL = ['restart: unless-stopped', 'healthcheck:', '  interval: 30s'];

function depsFor(settings: Settings, reporter: RecordingReporter): DeployDeps {
  return { reporter, connect: () => connectSsh(settings.ssh), lint: async () => {}, owner: 'health.test' };
}

describe('the health check', () => {
  let admin: SshConnection;
  let app: AppRepo;
  const project = `berth-health-${process.pid}`;
  const otherImage = `berth-other-${process.pid}:latest`;
  let inputs: ReturnType<typeof bedInputs>;

  const run = async (extra: Record<string, string>) => {
    const reporter = recordingReporter();
    const settings = settingsFrom({ ...inputs, ...extra });
    return { outcome: await deploy(settings, depsFor(settings, reporter)), reporter };
  };
  const webContainer = async () =>
    (
      await runChecked(admin, [
        'docker',
        'ps',
        '--quiet',
        '--filter',
        `label=com.docker.compose.project=${project}`,
        '--filter',
        'label=com.docker.compose.service=web',
      ])
    ).stdout.trim();
  const imageExists = async (id: string) => (await admin.run(['docker', 'image', 'inspect', id])).code === 0;
  /** Builds a tiny image twice under one tag, so the first build is left dangling; returns its id. */
  const danglingImage = async (tag: string, label: string): Promise<string> => {
    const build = async (n: number) =>
      (
        await runChecked(admin, ['docker', 'build', '--quiet', '--label', label, '--tag', tag, '-'], {
          stdin: `FROM berth-example/busybox:latest\nLABEL berth.test.build=${n}-${process.pid}\n`,
        })
      ).stdout.trim();
    const first = await build(1);
    await build(2);
    return first;
  };

  before(async () => {
    admin = await connectSsh(bedSettings());
    app = await createAppRepo(admin, `${testbed().home}/berth-tests/health-${process.pid}`, await freePort());
    inputs = bedInputs({ path: app.path, 'project-name': project, 'health-url': `http://localhost:${app.port}/health` });
  });

  after(async () => {
    await admin.run(['docker-compose', '--project-name', project, 'down', '--rmi', 'local', '--remove-orphans'], { cwd: app.path });
    await admin.run(['sh', '-c', 'docker image ls -q "$1" | xargs -r docker image rm --force', 'rm', `berth-*-${process.pid}`]);
    await admin.close();
  });

  it('sees the app ready while Docker still says starting, with a 30 s healthcheck interval', async () => {
    const commit = await app.commit({ 'docker-compose.yml': composeFile(SLOW_INTERVAL) }, 'healthcheck every 30s');
    const { outcome, reporter } = await run({ ref: commit });
    assert.equal(outcome.status, 'succeeded', reporter.text());
    // Docker has not run the check yet (its first run is 30 s after start): berth ran it itself.
    const health = await runChecked(admin, ['docker', 'inspect', '--format', '{{.State.Health.Status}}', await webContainer()]);
    assert.equal(health.stdout.trim(), 'starting');
    assert.equal(outcome.services.web?.health, 'healthy');
    assert.match(reporter.text(), /web: its healthcheck passed when berth ran it/);
    // `status` takes one look: it runs the healthcheck Docker has not run yet, too.
    const statusSettings = settingsFrom({ ...inputs, command: 'status' });
    const status = await runCommand(statusSettings, depsFor(statusSettings, recordingReporter()));
    assert.equal(status.status, 'succeeded', status.error);
    assert.equal(status.services.web?.health, 'starting');
  });

  it('deploys the fetched tip for refs/heads/main, not the server’s stale local branch', async () => {
    const tip = await app.commit({ 'www/index.html': 'tip of main\n' }, 'new tip');
    const { outcome, reporter } = await run({ ref: 'refs/heads/main' });
    assert.equal(outcome.status, 'succeeded', reporter.text());
    assert.equal(outcome.deployedRef, tip);
  });

  it("prunes this project's dangling images and leaves another project's alone", async () => {
    const others = await danglingImage(otherImage, `com.docker.compose.project=berth-other-${process.pid}`);
    const ours = await danglingImage(`berth-health-own-${process.pid}:latest`, `com.docker.compose.project=${project}`);
    await admin.run(['docker', 'image', 'rm', `berth-health-own-${process.pid}:latest`]);
    const commit = await app.commit({ 'www/index.html': 'after the prune\n' }, 'prune');
    const { outcome, reporter } = await run({ ref: commit });
    assert.equal(outcome.status, 'succeeded', reporter.text());
    assert.equal(await imageExists(others), true, "another project's dangling image survives the deploy");
    assert.equal(await imageExists(ours), false, "this project's dangling image is pruned");
  });

  it('says a container exited, with its code, instead of calling it unhealthy', async () => {
    const commit = await app.commit(
      { 'docker-compose.yml': composeFile(['restart: "no"', 'command: ["sh", "-c", "exit 1"]']) },
      'web exits at once',
    );
    const { outcome, reporter } = await run({ ref: commit });
    assert.equal(outcome.status, 'rolled_back', reporter.text());
    assert.equal(outcome.failedStep, 'health');
    assert.match(outcome.error ?? '', /web exited with code 1/);
    assert.doesNotMatch(outcome.error ?? '', /unhealthy/);
  });

  it('fails a service in a restart loop even when a poll catches it running', async () => {
    const commit = await app.commit(
      {
        'docker-compose.yml': composeFile(
          // web is ready only after 3 s; meanwhile the worker runs for a second at a time and crashes.
          [...SLOW_INTERVAL, 'command: ["sh", "-c", "sleep 3; exec httpd -f -p 127.0.0.1:$${PORT} -h /www"]'],
          [
            'worker:',
            '  build: .',
            '  network_mode: host',
            '  healthcheck: { disable: true }',
            '  restart: always',
            '  command: ["sh", "-c", "sleep 1; exit 3"]',
          ],
        ),
      },
      'a worker in a restart loop',
    );
    const { outcome, reporter } = await run({ ref: commit });
    assert.equal(outcome.status, 'rolled_back', reporter.text());
    assert.equal(outcome.failedStep, 'health', outcome.error);
    assert.match(outcome.error ?? '', /worker (restarted|is in a restart loop)/);
    assert.deepEqual(Object.keys(outcome.services), ['web'], 'the rollback removed the worker again');
  });

  it('keeps the password of the health URL out of the log, the annotation, the summary and the release history', async () => {
    const commit = await app.commit(
      { 'docker-compose.yml': composeFile(SLOW_INTERVAL), 'www/index.html': 'behind a password\n' },
      'health URL with a password',
    );
    const password = `s3cret-${process.pid}`;
    const run = await runAction({
      with: { ...inputs, ref: commit, 'health-url': `http://berth:${password}@localhost:${app.port}/nosuch`, 'health-timeout': '2' },
    });
    assert.equal(run.code, 1, run.output);
    assert.ok(run.masks.includes(password), 'the password is masked');
    assert.ok(!run.output.replace(/::add-mask::.*\n/g, '').includes(password), 'berth never prints the password');
    const error = run.annotations.find((a) => a.level === 'error' && /health failed/.test(a.properties.title ?? ''));
    assert.match(error?.message ?? '', /http:\/\/berth:\[REDACTED\]@localhost:\d+\/nosuch answered 404/);
    assert.match(run.summary, /\[REDACTED\]@localhost/);
    assert.ok(!run.summary.includes(password));
    const history = await runChecked(admin, ['cat', `${app.path}/.git/berth/releases.json`]);
    assert.match(history.stdout, /answered 404/);
    assert.ok(!history.stdout.includes(password));
  });
});
