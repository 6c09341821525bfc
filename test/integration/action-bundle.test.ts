/** The bundled action, run the way GitHub's runner runs it (test/helpers/action-runner.ts). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runChecked } from '../../core/exec/executor.js';
import { connectSsh, type SshConnection } from '../../core/ssh/ssh-connection.js';
import { freePort } from '../bed/system.js';
import { testbed } from '../bed/testbed.js';
import { runAction, startAction } from '../helpers/action-runner.js';
import { type AppRepo, createAppRepo } from '../helpers/app-repo.js';
import { bedCliFlags, bedInputs } from '../helpers/engine.js';
import { type FakeGithub, startFakeGithub } from '../helpers/fake-github.js';
import { pushEvent } from '../helpers/github-events.js';
import { bedSettings } from '../helpers/ssh.js';

describe('the bundled action', () => {
  it('runs on this Node (24) and fails clearly with no inputs, without a stack trace', async () => {
    assert.match(process.version, /^v24\./);
    const run = await runAction();
    assert.equal(run.code, 1);
    assert.equal(run.annotations.length, 1);
    assert.equal(run.annotations[0]?.level, 'error');
    assert.match(run.annotations[0]?.message ?? '', /^Missing input 'host': it is required/);
    assert.doesNotMatch(run.output, /at .*\.js:\d+/);
    assert.deepEqual(run.github, [], 'nothing was recorded on GitHub');
  });

  it('names each bad input and connects to nothing', async () => {
    const run = await runAction({
      with: {
        host: 'example.com; rm -rf /',
        username: 'deploy',
        port: '70000',
        path: 'relative',
        'private-key': 'not a key',
        ref: '--upload-pack=evil',
      },
    });
    assert.equal(run.code, 1);
    assert.match(run.output, /Invalid input 'host'/);
    assert.match(run.output, /Invalid input 'port': 70000 is out of range/);
    assert.match(run.output, /Invalid input 'path'/);
    assert.match(run.output, /Invalid input 'ref'/);
    assert.match(run.output, /private-key.*could not be read/);
  });

  it('refuses a server whose host key does not match, and masks the key', async () => {
    const bed = testbed();
    const forged = bed.jump.knownHosts.replaceAll(`[127.0.0.1]:${bed.jump.port}`, `[127.0.0.1]:${bed.sshd.port}`);
    const run = await runAction({
      with: {
        host: '127.0.0.1',
        port: String(bed.sshd.port),
        username: bed.user,
        'private-key': bed.keys.ed25519,
        'known-hosts': forged,
        path: '/srv/app',
        ref: 'main',
      },
    });
    assert.equal(run.code, 1);
    assert.match(run.output, /REMOTE HOST KEY DOES NOT MATCH/);
    assert.match(run.output, /::add-mask::/);
    const keyBody = bed.keys.ed25519.split('\n')[1] ?? '';
    assert.ok(keyBody.length > 10);
    assert.ok(!run.output.replace(/::add-mask::.*\n/g, '').includes(keyBody), 'the key appears only in add-mask commands');
  });
  it('stops when cancelled the way GitHub cancels a step: SIGINT first', async () => {
    const running = await startAction({ with: bedInputs({ path: '/srv/app', 'lint-command': 'echo linting; sleep 3' }) });
    await running.waitForOutput(/linting/);
    const run = await running.cancel({ sigintGraceMs: 2000, sigtermGraceMs: 1000 });
    assert.equal(run.signalsSent[0], 'SIGINT');
    assert.notEqual(run.code, 0);
  });
});

describe('the bundled action deploying for real', () => {
  let admin: SshConnection;
  let app: AppRepo;
  let github: FakeGithub;
  const project = `berth-bundle-${process.pid}`;

  before(async () => {
    admin = await connectSsh(bedSettings());
    app = await createAppRepo(admin, `${testbed().home}/berth-tests/bundle-${process.pid}`, await freePort());
    github = await startFakeGithub();
  });

  after(async () => {
    await admin.run(['docker-compose', '--project-name', project, 'down', '--rmi', 'local'], { cwd: app.path });
    await admin.close();
    await github.close();
  });

  it('deploys GITHUB_SHA, sets outputs, writes the summary and records a GitHub deployment', async () => {
    const sha = await app.commit({ 'www/index.html': 'from the bundle\n' }, 'bundle');
    const run = await runAction({
      with: {
        ...bedInputs({ path: app.path, 'project-name': project, 'health-url': `http://localhost:${app.port}/health` }),
        'environment-url': 'https://app.example.com',
      },
      event: pushEvent(sha),
      token: 'ghs_faketoken1234',
      github,
    });
    assert.equal(run.code, 0, run.output);
    assert.equal(run.outputs.status, 'succeeded');
    assert.equal(run.outputs['deployed-ref'], sha);
    assert.match(run.outputs.services ?? '', /^\{"web":\{"state":"running","health":"healthy"/);
    assert.deepEqual(run.annotations, []);
    assert.ok(run.groups.some((group) => group.title === 'Health check'));
    assert.match(run.summary, /berth deploy: succeeded/);
    assert.match(run.summary, /<td>health<\/td><td>✅ succeeded<\/td>/);
    assert.doesNotMatch(run.output.replace(/::add-mask::.*\n/g, ''), /ghs_faketoken1234/, 'the token appears only in add-mask commands');
    assert.ok(run.masks.includes('ghs_faketoken1234'));
    const response = await fetch(`http://127.0.0.1:${app.port}/`);
    assert.equal((await response.text()).trim(), 'from the bundle');
    const [create, ...statuses] = run.github;
    assert.equal(create?.path, '/repos/acme/shop/deployments');
    assert.equal(create?.body.ref, sha);
    assert.equal(create?.body.environment, 'production');
    assert.equal(create?.authorization, 'token ghs_faketoken1234');
    assert.deepEqual(
      statuses.map((r) => r.body.state),
      ['in_progress', 'success'],
    );
    assert.equal(statuses[1]?.body.environment_url, 'https://app.example.com/');
    assert.equal(statuses[1]?.body.log_url, 'https://github.com/acme/shop/actions/runs/1658821493');
  });

  it('fails the step with an annotation naming the step, and rolls back', async () => {
    const sha = await app.commit({ 'www/health': null }, 'broken');
    const run = await runAction({
      with: bedInputs({ path: app.path, 'project-name': project, 'health-url': `http://localhost:${app.port}/health` }),
      event: pushEvent(sha),
      github,
    });
    assert.equal(run.code, 1, run.output);
    assert.match(run.output, /::error title=berth%3A health failed%2C rolled back::Health check failed: web is unhealthy/);
    const error = run.annotations.find((annotation) => annotation.level === 'error' && annotation.properties.title);
    assert.equal(error?.properties.title, 'berth: health failed, rolled back');
    assert.match(run.groups.find((group) => group.title.startsWith('Logs of web'))?.lines.join('\n') ?? '', /response:404/);
    assert.equal(run.outputs.status, 'rolled_back');
    assert.match(run.summary, /Failed step: health/);
    assert.equal(run.github.at(-1)?.body.state, 'failure');
  });

  it('runs the same engine from the CLI bundle', async () => {
    const good = (await runChecked(admin, ['git', '-C', app.path, 'rev-parse', 'HEAD'])).stdout.trim();
    const result = spawnSync(
      process.execPath,
      [join(process.cwd(), 'dist/cli/index.js'), 'status', ...bedCliFlags(), '--path', app.path, '--project-name', project],
      { encoding: 'utf8', timeout: 120_000 },
    );
    assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
    assert.match(result.stdout, new RegExp(`running: ${good}`));
    assert.match(result.stdout, /web: running \(healthy\)/);
  });
});
