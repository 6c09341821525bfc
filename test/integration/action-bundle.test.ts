/** The bundled action, run the way the runner runs it: Node 24, inputs as INPUT_* variables. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runChecked } from '../../core/exec/executor.js';
import { connectSsh, type SshConnection } from '../../core/ssh/ssh-connection.js';
import { freePort } from '../bed/system.js';
import { testbed } from '../bed/testbed.js';
import { type AppRepo, createAppRepo } from '../helpers/app-repo.js';
import { bedCliFlags, bedInputs } from '../helpers/engine.js';
import { type FakeGithub, startFakeGithub } from '../helpers/fake-github.js';
import { bedSettings } from '../helpers/ssh.js';

const BUNDLE = join(process.cwd(), 'dist/action/index.js');

/** Runs the bundle with the given inputs; returns its exit code, output and GITHUB_OUTPUT file. */
export async function runBundle(inputs: Record<string, string | undefined>, extraEnv: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'berth-runner-'));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_WORKSPACE: dir,
    RUNNER_TEMP: dir,
    ...extraEnv,
  };
  for (const [name, value] of Object.entries(inputs))
    if (value !== undefined) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  // Asynchronous, so that servers in this process (the fake GitHub API) can answer meanwhile.
  const child = spawn(process.execPath, [BUNDLE], { env, timeout: 300_000 });
  const output: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    code,
    output: Buffer.concat(output).toString(),
    outputs: readFileSync(outputFile, 'utf8'),
    summary: readFileSync(summaryFile, 'utf8'),
  };
}

describe('the bundled action', () => {
  it('runs on this Node (24) and fails clearly with no inputs, without a stack trace', async () => {
    assert.match(process.version, /^v24\./);
    const run = await runBundle({});
    assert.equal(run.code, 1);
    assert.match(run.output, /::error::Missing input 'host': it is required/);
    assert.doesNotMatch(run.output, /at .*\.js:\d+/);
  });

  it('names each bad input and connects to nothing', async () => {
    const run = await runBundle({
      host: 'example.com; rm -rf /',
      username: 'deploy',
      port: '70000',
      path: 'relative',
      'private-key': 'not a key',
      ref: '--upload-pack=evil',
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
    const run = await runBundle({
      host: '127.0.0.1',
      port: String(bed.sshd.port),
      username: bed.user,
      'private-key': bed.keys.ed25519,
      'known-hosts': forged,
      path: '/srv/app',
      ref: 'main',
    });
    assert.equal(run.code, 1);
    assert.match(run.output, /REMOTE HOST KEY DOES NOT MATCH/);
    assert.match(run.output, /::add-mask::/);
    const keyBody = bed.keys.ed25519.split('\n')[1] ?? '';
    assert.ok(keyBody.length > 10);
    assert.ok(!run.output.replace(/::add-mask::.*\n/g, '').includes(keyBody), 'the key appears only in add-mask commands');
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
    const run = await runBundle(
      {
        ...bedInputs({ path: app.path, 'project-name': project, 'health-url': `http://localhost:${app.port}/health` }),
        'github-token': 'ghs_faketoken1234',
        'environment-url': 'https://app.example.com',
      },
      {
        GITHUB_SHA: sha,
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_API_URL: github.url,
        GITHUB_RUN_ID: '42',
        GITHUB_SERVER_URL: 'https://github.com',
      },
    );
    assert.equal(run.code, 0, run.output);
    assert.match(run.outputs, /status<<.*\nsucceeded\n/);
    assert.match(run.outputs, new RegExp(`deployed-ref<<.*\\n${sha}\\n`));
    assert.match(run.outputs, /services<<.*\n\{"web":\{"state":"running","health":"healthy"/);
    assert.match(run.output, /::group::Health check/);
    assert.match(run.summary, /berth deploy: succeeded/);
    assert.match(run.summary, /<td>health<\/td><td>✅ succeeded<\/td>/);
    assert.doesNotMatch(run.output.replace(/::add-mask::.*\n/g, ''), /ghs_faketoken1234/, 'the token appears only in add-mask commands');
    const response = await fetch(`http://127.0.0.1:${app.port}/`);
    assert.equal((await response.text()).trim(), 'from the bundle');
    const [create, ...statuses] = github.requests;
    assert.equal(create?.path, '/repos/acme/shop/deployments');
    assert.equal(create?.body.ref, sha);
    assert.equal(create?.body.environment, 'production');
    assert.equal(create?.authorization, 'token ghs_faketoken1234');
    assert.deepEqual(
      statuses.map((r) => r.body.state),
      ['in_progress', 'success'],
    );
    assert.equal(statuses[1]?.body.environment_url, 'https://app.example.com/');
    assert.equal(statuses[1]?.body.log_url, 'https://github.com/acme/shop/actions/runs/42');
  });

  it('fails the step with an annotation naming the step, and rolls back', async () => {
    const sha = await app.commit({ 'www/health': null }, 'broken');
    const run = await runBundle(
      {
        ...bedInputs({ path: app.path, 'project-name': project, 'health-url': `http://localhost:${app.port}/health` }),
        'github-token': 'ghs_x',
      },
      { GITHUB_SHA: sha, GITHUB_REPOSITORY: 'acme/shop', GITHUB_API_URL: github.url },
    );
    assert.equal(run.code, 1, run.output);
    assert.match(run.output, /::error title=berth%3A health failed%2C rolled back::Health check failed: web is unhealthy/);
    assert.match(run.output, /::group::Logs of web[\s\S]*response:404/);
    assert.match(run.outputs, /status<<.*\nrolled_back\n/);
    assert.match(run.summary, /Failed step: health/);
    assert.equal(github.requests.at(-1)?.body.state, 'failure');
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
