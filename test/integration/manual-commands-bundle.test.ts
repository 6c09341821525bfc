/**
 * The manual commands through the bundled action, as the runner runs them: a command that did what was
 * asked exits 0 with `status=succeeded` and no error annotation; one that did not fails the step.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runChecked } from '../../core/exec/executor.js';
import type { InputName } from '../../core/settings/input-names.js';
import { connectSsh, type SshConnection } from '../../core/ssh/ssh-connection.js';
import { freePort } from '../bed/system.js';
import { testbed } from '../bed/testbed.js';
import { type AppRepo, createAppRepo } from '../helpers/app-repo.js';
import { bedInputs } from '../helpers/engine.js';
import { type FakeGithub, startFakeGithub } from '../helpers/fake-github.js';
import { bedSettings } from '../helpers/ssh.js';

const BUNDLE = join(process.cwd(), 'dist/action/index.js');

interface BundleRun {
  readonly code: number | null;
  readonly output: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
}

/** GITHUB_OUTPUT's `name<<delimiter` blocks as a map. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const match of text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[match[1] ?? ''] = match[3] ?? '';
  return outputs;
}

/** Runs the action bundle with these inputs (INPUT_* variables) and runner files. */
async function runAction(inputs: Partial<Record<InputName, string>>, env: Record<string, string>): Promise<BundleRun> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-manual-'));
  const files = { output: join(dir, 'output'), summary: join(dir, 'summary') };
  for (const file of Object.values(files)) writeFileSync(file, '');
  const variables: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_WORKSPACE: dir,
    RUNNER_TEMP: dir,
    ...env,
  };
  for (const [name, value] of Object.entries(inputs)) variables[`INPUT_${name.toUpperCase()}`] = value;
  const child = spawn(process.execPath, [BUNDLE], { env: variables, timeout: 300_000 });
  const output: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const run = {
    code,
    output: Buffer.concat(output).toString(),
    outputs: parseOutputs(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
  };
  rmSync(dir, { recursive: true, force: true });
  return run;
}

describe('manual commands through the bundled action', () => {
  let admin: SshConnection;
  let app: AppRepo;
  let github: FakeGithub;
  let inputs: Partial<Record<InputName, string>>;
  let runnerEnv: Record<string, string>;
  const project = `berth-engine-manual-${process.pid}`;
  const commits: string[] = [];
  const head = async (): Promise<string> => (await runChecked(admin, ['git', '-C', app.path, 'rev-parse', 'HEAD'])).stdout.trim();
  const page = async (): Promise<string> => (await (await fetch(`http://127.0.0.1:${app.port}/`)).text()).trim();
  const readReleases = async (): Promise<string> => (await runChecked(admin, ['cat', `${app.path}/.git/berth/releases.json`])).stdout;

  before(async () => {
    admin = await connectSsh(bedSettings());
    app = await createAppRepo(admin, `${testbed().home}/berth-tests/manual-${process.pid}`, await freePort());
    github = await startFakeGithub();
    inputs = {
      ...bedInputs({ path: app.path, 'project-name': project, 'health-url': `http://localhost:${app.port}/health` }),
      'github-token': 'ghs_manualtoken',
    };
    runnerEnv = { GITHUB_REPOSITORY: 'acme/shop', GITHUB_API_URL: github.url, GITHUB_RUN_ID: '7' };
    commits.push(await head());
    commits.push(await app.commit({ 'www/index.html': 'version 2\n' }, 'v2'));
    for (const sha of commits) {
      const run = await runAction(inputs, { ...runnerEnv, GITHUB_SHA: sha });
      assert.equal(run.code, 0, run.output);
    }
  });

  after(async () => {
    await admin.run(['docker-compose', '--project-name', project, 'down', '--rmi', 'local', '--remove-orphans'], { cwd: app.path });
    // The images berth tagged for this project only (kept for rollbacks, or set aside for pruning).
    await admin.run([
      'sh',
      '-c',
      'docker image ls --format "{{.Repository}}:{{.Tag}}" | grep -E "^berth-(keep|discard)/$1/" | xargs -r docker image rm',
      'sh',
      project,
    ]);
    await admin.close();
    await github.close();
  });

  it('rolls back to the previous good release: exit 0, status succeeded, no error annotation', async () => {
    const [v1, v2] = commits;
    github.requests.length = 0;
    const run = await runAction({ ...inputs, command: 'rollback' }, { ...runnerEnv, GITHUB_SHA: v2 ?? '' });
    assert.equal(run.code, 0, run.output);
    assert.doesNotMatch(run.output, /::error/);
    assert.equal(run.outputs.status, 'succeeded');
    assert.equal(run.outputs['deployed-ref'], v1);
    assert.equal(run.outputs['previous-ref'], v2);
    assert.match(run.summary, /berth rollback: succeeded/);
    assert.equal(await head(), v1);
    assert.equal(await page(), '<h1>hello from berth</h1>');
    // The GitHub Deployment names the commit restored, not the workflow's GITHUB_SHA.
    const [create, ...statuses] = github.requests;
    assert.equal(create?.body.ref, v1);
    assert.deepEqual(
      statuses.map((r) => r.body.state),
      ['in_progress', 'success'],
    );
  });

  it('rolls forward to a named commit the same way', async () => {
    const [, v2] = commits;
    const run = await runAction({ ...inputs, command: 'rollback', ref: v2 ?? '' }, { ...runnerEnv, GITHUB_SHA: v2 ?? '' });
    assert.equal(run.code, 0, run.output);
    assert.doesNotMatch(run.output, /::error/);
    assert.equal(run.outputs.status, 'succeeded');
    assert.equal(run.outputs['deployed-ref'], v2);
    assert.equal(await page(), 'version 2');
  });

  it('restarts, shows logs and status: exit 0, status succeeded', async () => {
    for (const command of ['restart', 'logs', 'status']) {
      const run = await runAction({ ...inputs, command }, runnerEnv);
      assert.equal(run.code, 0, `${command}: ${run.output}`);
      assert.doesNotMatch(run.output, /::error/, command);
      assert.equal(run.outputs.status, 'succeeded', command);
    }
  });

  it('fails a rollback to a ref the repository does not have, naming the input, and changes nothing', async () => {
    const before = await head();
    const releases = await readReleases();
    const run = await runAction({ ...inputs, command: 'rollback', ref: 'v9.9' }, runnerEnv);
    assert.equal(run.code, 1, run.output);
    assert.match(run.output, /::error title=berth%3A fetch failed::Invalid input 'ref': 'v9.9' does not name a commit/);
    assert.equal(run.outputs.status, 'failed');
    assert.equal(await head(), before);
    assert.equal(await readReleases(), releases);
    assert.equal(await page(), 'version 2');
  });

  it('puts back what ran when a rollback fails, and fails the step', async () => {
    const broken = await app.commit({ 'www/health': null, 'www/index.html': 'broken\n' }, 'broken');
    const run = await runAction({ ...inputs, command: 'rollback', ref: broken }, runnerEnv);
    assert.equal(run.code, 1, run.output);
    assert.match(run.output, /::error title=berth%3A rollback failed::/);
    assert.match(run.output, /berth put back [0-9a-f]{12}, which ran before the rollback/);
    assert.equal(run.outputs.status, 'failed');
    assert.equal(run.outputs['deployed-ref'], commits[1]);
    assert.equal(await head(), commits[1]);
    assert.equal(await page(), 'version 2');
  });

  it('fails a rollback with no good release to go back to, naming the input, and changes nothing', async () => {
    const fresh = await createAppRepo(admin, `${testbed().home}/berth-tests/manual-fresh-${process.pid}`, await freePort());
    const run = await runAction({ ...inputs, path: fresh.path, 'project-name': `${project}-fresh`, command: 'rollback' }, runnerEnv);
    assert.equal(run.code, 1, run.output);
    assert.match(run.output, /::error title=berth%3A rollback failed::Nothing to roll back to: input 'ref' is empty/);
    const state = await admin.run(['ls', `${fresh.path}/.git/berth`]);
    assert.doesNotMatch(state.stdout, /releases\.json/, 'no release was recorded');
  });
});
