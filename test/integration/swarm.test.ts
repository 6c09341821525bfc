/**
 * `orchestrator: swarm` end to end on a real single-node Docker Swarm (created by the test bed for
 * these tests and left afterwards): the example app's docker-stack.yml, deployed through the engine
 * and through the bundled action.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DeployDeps } from '../../core/engine/deploy.js';
import { runCommand } from '../../core/engine/run-command.js';
import { runChecked } from '../../core/exec/executor.js';
import type { InputName } from '../../core/settings/input-names.js';
import type { Settings } from '../../core/settings/settings.js';
import { connectSsh, type SshConnection } from '../../core/ssh/ssh-connection.js';
import { startRegistry, type TestRegistry } from '../bed/registry.js';
import { joinTestSwarm } from '../bed/swarm.js';
import { freePort, waitFor } from '../bed/system.js';
import { testbed } from '../bed/testbed.js';
import { runAction } from '../helpers/action-runner.js';
import { type AppRepo, createAppRepo } from '../helpers/app-repo.js';
import { bedInputs, type RecordingReporter, recordingReporter, settingsFrom } from '../helpers/engine.js';
import { bedSettings } from '../helpers/ssh.js';

function depsFor(settings: Settings, reporter: RecordingReporter): DeployDeps {
  return {
    reporter,
    connect: () => connectSsh(settings.ssh),
    lint: () => Promise.resolve(),
    owner: 'swarm.test',
  };
}

describe('Docker Swarm stacks (orchestrator: swarm)', () => {
  let leaveSwarm: (() => Promise<void>) | undefined;
  let admin: SshConnection;
  let app: AppRepo;
  let inputs: Partial<Record<InputName, string>>;
  const stack = `berth-swarm-${process.pid}`;
  const commits: Record<string, string> = {};

  const page = async (): Promise<string> => {
    const response = await fetch(`http://127.0.0.1:${app.port}/`);
    return `${response.status} ${(await response.text()).trim()}`;
  };
  /** The image the stack's web service runs, as its spec names it. */
  const serviceImage = async (): Promise<string> =>
    (
      await runChecked(admin, ['docker', 'service', 'inspect', '--format', '{{.Spec.TaskTemplate.ContainerSpec.Image}}', `${stack}_web`])
    ).stdout
      .trim()
      .split('@')[0] ?? '';
  const run = async (extra: Partial<Record<InputName, string>>) => {
    const reporter = recordingReporter();
    const settings = settingsFrom({ ...inputs, ...extra });
    return { outcome: await runCommand(settings, depsFor(settings, reporter)), reporter };
  };

  before(async () => {
    leaveSwarm = await joinTestSwarm();
    admin = await connectSsh(bedSettings());
    app = await createAppRepo(admin, `${testbed().home}/berth-tests/swarm-${process.pid}`, await freePort());
    commits.v1 = (await runChecked(admin, ['git', '-C', app.path, 'rev-parse', 'HEAD'])).stdout.trim();
    inputs = bedInputs({
      path: app.path,
      orchestrator: 'swarm',
      'project-name': stack,
      'compose-files': 'docker-stack.yml',
      'health-url': `http://localhost:${app.port}/health`,
    });
  });

  after(async () => {
    if (admin) {
      await admin.run(['docker', 'stack', 'rm', stack]);
      const filter = `label=com.docker.stack.namespace=${stack}`;
      await waitFor(
        'the stack containers to go',
        async () => (await admin.run(['docker', 'ps', '--all', '--quiet', '--filter', filter])).stdout.trim() === '',
        60_000,
      ).catch(() => undefined);
      // Built images: `<stack>-web:<commit>`, and with the registry `<registry>/berth/<stack>-web:<commit>`.
      const images = await admin.run(['docker', 'image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']);
      const names = images.stdout.split('\n').filter((name) => name.startsWith(`${stack}-`) || name.includes(`/berth/${stack}-`));
      // --no-prune: the parent layers are the build cache other tests' builds of the example share.
      if (names.length > 0) await admin.run(['docker', 'image', 'rm', '--no-prune', ...names]);
      await admin.close();
    }
    await leaveSwarm?.();
  });

  it('ships the first release as a stack, built on the manager with an image tag per commit', async () => {
    const { outcome, reporter } = await run({ ref: 'main' });
    assert.equal(outcome.status, 'succeeded', reporter.text());
    assert.equal(outcome.deployedRef, commits.v1);
    assert.deepEqual(
      outcome.steps.map((s) => s.name),
      ['connect', 'lock', 'fetch', 'build', 'up', 'health'],
    );
    assert.deepEqual(outcome.services.web, {
      state: 'running',
      health: null,
      image: `${stack}-web:${commits.v1?.slice(0, 12)}`,
      replicas: '1/1',
      updateState: null,
    });
    assert.equal(await page(), '200 <h1>hello from berth</h1>');
    // The stack file was rendered with .env (APP_PORT) and is kept with the release.
    const stackFile = outcome.release?.stackFile ?? '';
    assert.match(stackFile, /\/\.git\/berth\/stacks\/.+\.yml$/);
    const kept = (await runChecked(admin, ['cat', stackFile])).stdout;
    assert.match(kept, new RegExp(`PORT: "?'?${app.port}`));
    assert.doesNotMatch(kept, /build:/);
  });

  it('updates to exactly the requested commit, with a new image tag', async () => {
    commits.v2 = await app.commit({ 'www/index.html': 'version 2\n' }, 'v2');
    await app.commit({ 'www/index.html': 'version 3, not asked for\n' }, 'v3');
    const { outcome, reporter } = await run({ ref: commits.v2 });
    assert.equal(outcome.status, 'succeeded', reporter.text());
    assert.equal(outcome.previousRef, commits.v1);
    assert.equal(await page(), '200 version 2');
    assert.equal(await serviceImage(), `${stack}-web:${commits.v2.slice(0, 12)}`);
    assert.equal(outcome.services.web?.state, 'running');
  });

  it('fails an update whose new tasks fail their healthcheck: Swarm rolls it back, berth names the task error and ends on the previous release', async () => {
    const broken = await app.commit({ 'www/health': null, 'www/index.html': 'broken\n' }, 'broken');
    const { outcome, reporter } = await run({ ref: broken });
    assert.equal(outcome.status, 'rolled_back', reporter.text());
    assert.equal(outcome.failedStep, 'health');
    assert.match(outcome.error ?? '', /web: Swarm rolled the update back: .*unhealthy container/);
    assert.equal(outcome.deployedRef, commits.v2);
    assert.ok(
      reporter.groups.some((g) => g.startsWith('Logs of web')),
      reporter.groups.join(', '),
    );
    assert.match(reporter.text(), /response:404/);
    assert.equal(outcome.steps.find((s) => s.name === 'rollback')?.result, 'succeeded');
    assert.equal(await page(), '200 version 2');
    assert.equal(await serviceImage(), `${stack}-web:${commits.v2?.slice(0, 12)}`);
    assert.equal((await runChecked(admin, ['git', '-C', app.path, 'rev-parse', 'HEAD'])).stdout.trim(), commits.v2);
  });

  it('rolls back by hand to a commit from its kept stack file and image, without rebuilding', async () => {
    const { outcome, reporter } = await run({ command: 'rollback', ref: commits.v1 ?? '' });
    assert.equal(outcome.status, 'succeeded', reporter.text());
    assert.equal(outcome.deployedRef, commits.v1);
    assert.doesNotMatch(reporter.text(), /rendering and building it again/);
    assert.ok(!reporter.groups.some((g) => /build/i.test(g)));
    assert.equal(await page(), '200 <h1>hello from berth</h1>');
    assert.equal(await serviceImage(), `${stack}-web:${commits.v1?.slice(0, 12)}`);
  });

  it('shows status, logs with timestamps, and restarts with a forced update', async () => {
    const status = await run({ command: 'status' });
    assert.equal(status.outcome.status, 'succeeded', status.reporter.text());
    assert.equal(status.outcome.services.web?.state, 'running');
    assert.match(status.reporter.text(), /web\s+1\/1\s+running {2}update completed/);
    assert.match(status.reporter.text(), /last failed task \w+: task: non-zero exit \(\d+\): dockerexec: unhealthy container/);

    const logs = await run({ command: 'logs', 'log-lines': '5' });
    assert.equal(logs.outcome.status, 'succeeded');
    assert.match(logs.reporter.text(), /^\d{4}-\d\d-\d\dT[\d:.]+Z .*response:200/m);

    const unknown = await run({ command: 'logs', services: 'web nosuch' });
    assert.equal(unknown.outcome.status, 'failed');
    // Checked in the `inputs` step against the app's Compose file, which the stack file is rendered from.
    assert.equal(unknown.outcome.failedStep, 'inputs');
    assert.match(
      unknown.outcome.error ?? '',
      /Invalid input 'services': "nosuch" is not a service of the Compose project[\s\S]*Expected names from: web/,
    );

    const before = (await runChecked(admin, ['docker', 'service', 'ps', '--quiet', '--no-trunc', `${stack}_web`])).stdout;
    const restarted = await run({ command: 'restart' });
    assert.equal(restarted.outcome.status, 'succeeded', restarted.reporter.text());
    const after = (await runChecked(admin, ['docker', 'service', 'ps', '--quiet', '--no-trunc', `${stack}_web`])).stdout;
    assert.notEqual(after, before, 'the forced update started a new task');
    assert.equal(await page(), '200 <h1>hello from berth</h1>');
  });

  describe('through the bundled action', () => {
    const withInputs = (extra: Partial<Record<InputName, string>>) => ({ ...inputs, 'github-token': '', ...extra });

    it('deploys the pushed commit as a stack', async () => {
      const sha = await app.commit({ 'www/index.html': 'from the bundle\n', 'www/health': 'ok\n' }, 'bundle');
      const result = await runAction({ with: withInputs({}), sha });
      assert.equal(result.code, 0, result.output);
      assert.equal(result.outputs.status, 'succeeded');
      assert.equal(result.outputs['deployed-ref'], sha);
      assert.match(result.outputs.services ?? '', /"web":\{"state":"running","health":null,"image":"[^"]+","replicas":"1\/1"/);
      assert.ok(result.groups.some((g) => g.title === `Deploy the stack ${stack}`));
      assert.equal(await page(), '200 from the bundle');
    });

    it('fails a commit Swarm rolls back, with an annotation naming the service; with rollback-on-failure off, Swarm alone puts the old tasks back', async () => {
      const sha = await app.commit({ 'www/health': null }, 'broken again');
      const result = await runAction({ with: withInputs({ 'rollback-on-failure': 'false' }), sha });
      assert.equal(result.code, 1, result.output);
      assert.equal(result.outputs.status, 'failed');
      const error = result.annotations.find((a) => a.level === 'error');
      assert.match(error?.message ?? '', /web: Swarm rolled the update back: .*unhealthy container/);
      assert.ok(!result.groups.some((g) => g.title.startsWith('Roll back')));
      await waitFor('Swarm to put the previous version back', async () => (await page().catch(() => '')) === '200 from the bundle', 30_000);
    });

    it('refuses orchestrator kubernetes before connecting', async () => {
      const result = await runAction({ with: withInputs({ orchestrator: 'kubernetes' }) });
      assert.equal(result.code, 1);
      assert.match(result.annotations[0]?.message ?? '', /Invalid input 'orchestrator': "kubernetes" is not an orchestrator berth drives/);
    });
  });
  describe('with a registry, as on several nodes', () => {
    let registry: TestRegistry;

    before(async () => {
      registry = await startRegistry(join(testbed().dir, `registry-${process.pid}`));
    });

    after(() => registry?.stop());

    it('pushes the built image and deploys it pinned to its digest', async () => {
      const sha = await app.commit({ 'www/index.html': 'pulled from the registry\n', 'www/health': 'ok\n' }, 'registry');
      const { outcome, reporter } = await run({ ref: sha, registry: `${registry.address}/berth` });
      assert.equal(outcome.status, 'succeeded', reporter.text());
      assert.deepEqual(await registry.catalog(), [`berth/${stack}-web`]);
      const spec = await runChecked(admin, [
        'docker',
        'service',
        'inspect',
        '--format',
        '{{.Spec.TaskTemplate.ContainerSpec.Image}}',
        `${stack}_web`,
      ]);
      assert.match(spec.stdout.trim(), new RegExp(`^${registry.address}/berth/${stack}-web:${sha.slice(0, 12)}@sha256:[0-9a-f]{64}$`));
      assert.equal(await page(), '200 pulled from the registry');
    });
  });
});
