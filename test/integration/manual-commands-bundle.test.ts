/**
 * The manual commands through the bundled action, as the runner runs them (workflow_dispatch): a command
 * that did what was asked exits 0 with `status=succeeded` and no error annotation; one that did not fails
 * the step, names what failed, and leaves what ran serving.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runChecked } from '../../core/exec/executor.js';
import type { InputName } from '../../core/settings/input-names.js';
import { connectSsh, type SshConnection } from '../../core/ssh/ssh-connection.js';
import { freePort } from '../bed/system.js';
import { testbed } from '../bed/testbed.js';
import { type ActionRun, runAction } from '../helpers/action-runner.js';
import { type AppRepo, createAppRepo } from '../helpers/app-repo.js';
import { bedCliFlags, bedInputs } from '../helpers/engine.js';
import { pushEvent, workflowDispatchEvent } from '../helpers/github-events.js';
import { bedSettings } from '../helpers/ssh.js';

const errors = (run: ActionRun): string[] => run.annotations.filter((a) => a.level === 'error').map((a) => a.properties.title ?? a.message);

describe('manual commands through the bundled action', () => {
  let admin: SshConnection;
  let app: AppRepo;
  let inputs: Partial<Record<InputName, string>>;
  const project = `berth-engine-manual-${process.pid}`;
  const commits: string[] = [];
  const head = async (): Promise<string> => (await runChecked(admin, ['git', '-C', app.path, 'rev-parse', 'HEAD'])).stdout.trim();
  const page = async (): Promise<string> => (await (await fetch(`http://127.0.0.1:${app.port}/`)).text()).trim();
  const readReleases = async (): Promise<string> => (await runChecked(admin, ['cat', `${app.path}/.git/berth/releases.json`])).stdout;
  /** A manual run from the Actions tab on main, whose GITHUB_SHA is main's tip — not what it restores. */
  const dispatch = (withInputs: Partial<Record<InputName, string>>): Promise<ActionRun> =>
    runAction({ with: { ...inputs, ...withInputs }, event: workflowDispatchEvent({}), sha: commits.at(-1) ?? '' });

  before(async () => {
    admin = await connectSsh(bedSettings());
    app = await createAppRepo(admin, `${testbed().home}/berth-tests/manual-${process.pid}`, await freePort());
    inputs = bedInputs({ path: app.path, 'project-name': project, 'health-url': `http://localhost:${app.port}/health` });
    commits.push(await head());
    commits.push(await app.commit({ 'www/index.html': 'version 2\n' }, 'v2'));
    for (const sha of commits) {
      const run = await runAction({ with: inputs, event: pushEvent(sha) });
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
  });

  it('rolls back to the previous good release: exit 0, status succeeded, no error annotation', async () => {
    const [v1, v2] = commits;
    const run = await dispatch({ command: 'rollback' });
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(errors(run), []);
    assert.equal(run.outputs.status, 'succeeded');
    assert.equal(run.outputs['deployed-ref'], v1);
    assert.equal(run.outputs['previous-ref'], v2);
    assert.match(run.summary, /berth rollback: succeeded/);
    assert.equal(await head(), v1);
    assert.equal(await page(), '<h1>hello from berth</h1>');
    // The GitHub Deployment names the commit restored, not the workflow's GITHUB_SHA (v2 here).
    const [create, ...statuses] = run.github;
    assert.equal(create?.body.ref, v1);
    assert.deepEqual(
      statuses.map((r) => r.body.state),
      ['in_progress', 'success'],
    );
  });

  it('rolls forward to a named commit the same way', async () => {
    const [, v2] = commits;
    const run = await dispatch({ command: 'rollback', ref: v2 ?? '' });
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(errors(run), []);
    assert.equal(run.outputs.status, 'succeeded');
    assert.equal(run.outputs['deployed-ref'], v2);
    assert.equal(await page(), 'version 2');
  });

  it('exits 0 from the CLI bundle for a rollback that worked, saying from which commit to which', async () => {
    const [v1, v2] = commits;
    for (const [from, to] of [
      [v2, v1],
      [v1, v2],
    ]) {
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
          to ?? '',
        ],
        { encoding: 'utf8', timeout: 120_000 },
      );
      assert.equal(cli.status, 0, `${cli.stdout}${cli.stderr}`);
      assert.match(cli.stdout, /^status: succeeded$/m);
      assert.match(cli.stdout, new RegExp(`^rolled back from ${from} to ${to} \\(kept images\\)$`, 'm'));
    }
  });

  it('restarts, shows logs and status: exit 0, status succeeded', async () => {
    for (const command of ['restart', 'logs', 'status']) {
      const run = await dispatch({ command });
      assert.equal(run.code, 0, `${command}: ${run.output}`);
      assert.deepEqual(errors(run), [], command);
      assert.equal(run.outputs.status, 'succeeded', command);
      assert.equal(run.outputs['deployed-ref'], commits[1], command);
    }
  });

  it('fails a rollback to a ref the repository does not have, naming the input, and changes nothing', async () => {
    const before = await head();
    const releases = await readReleases();
    const run = await dispatch({ command: 'rollback', ref: 'v9.9' });
    assert.equal(run.code, 1, run.output);
    assert.deepEqual(errors(run).slice(0, 1), ['berth: fetch failed']);
    assert.match(run.output, /Invalid input 'ref': 'v9.9' does not name a commit/);
    assert.equal(run.outputs.status, 'failed');
    assert.equal(await head(), before);
    assert.equal(await readReleases(), releases);
    assert.equal(await page(), 'version 2');
    assert.deepEqual(run.github, [], 'no GitHub Deployment for a rollback that restored nothing');
  });

  it('puts back what ran when a rollback fails, and fails the step', async () => {
    const broken = await app.commit({ 'www/health': null, 'www/index.html': 'broken\n' }, 'broken');
    const run = await dispatch({ command: 'rollback', ref: broken });
    assert.equal(run.code, 1, run.output);
    assert.deepEqual(errors(run).slice(0, 1), ['berth: rollback failed']);
    assert.match(run.output, /berth put back [0-9a-f]{12}, which ran before the rollback/);
    assert.equal(run.outputs.status, 'failed');
    assert.equal(run.outputs['deployed-ref'], commits[1]);
    assert.equal(await head(), commits[1]);
    assert.equal(await page(), 'version 2');
    assert.equal(run.github.at(-1)?.body.state, 'failure');
  });

  it('fails a rollback with no good release to go back to, naming the input, and changes nothing', async () => {
    const fresh = await createAppRepo(admin, `${testbed().home}/berth-tests/manual-fresh-${process.pid}`, await freePort());
    const run = await dispatch({ path: fresh.path, 'project-name': `${project}-fresh`, command: 'rollback' });
    assert.equal(run.code, 1, run.output);
    assert.deepEqual(errors(run).slice(0, 1), ['berth: rollback failed']);
    assert.match(run.output, /Nothing to roll back to: input 'ref' is empty/);
    const state = await admin.run(['ls', `${fresh.path}/.git/berth`]);
    assert.doesNotMatch(state.stdout, /releases\.json/, 'no release was recorded');
  });
});
