/**
 * `migrate-command` end to end, through the bundled action as GitHub's runner runs it, against the test
 * bed's sshd and Docker engine: the migration runs in a one-off container of the web service's new image
 * (its volume, its environment, the host's network) after the build and before `up`; a failing one fails
 * the deploy at `migrate` with the old version serving, untouched, and so does a cancel, which ends the
 * migration's container at once; an unknown `web-service` is refused once the new version is checked out,
 * before anything is built. On several hosts, it runs once, on the first. Each describe block is one app
 * and one sequence of runs, each test starting from what the one before left.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dockerCommands } from '../../core/commands/compose.js';
import { runChecked } from '../../core/exec/executor.js';
import type { InputName } from '../../core/settings/input-names.js';
import { connectSsh, type SshConnection } from '../../core/ssh/ssh-connection.js';
import { freePort } from '../bed/system.js';
import { testbed } from '../bed/testbed.js';
import { type ActionRun, runAction, startAction } from '../helpers/action-runner.js';
import { type AppRepo, createAppRepo, removeComposeApp } from '../helpers/app-repo.js';
import { bedInputs } from '../helpers/engine.js';
import { type BedHost, createFleetApp, type FleetApp } from '../helpers/fleet-app.js';
import { pushEvent } from '../helpers/github-events.js';
import { summaryTables } from '../helpers/runner-log.js';
import { bedSettings } from '../helpers/ssh.js';

/** The example app with a named volume, where the migrations write. */
const COMPOSE_WITH_VOLUME = `${readFileSync(join(process.cwd(), 'examples/hello/docker-compose.yml'), 'utf8').replace(
  '    restart:',
  '    volumes:\n      - data:/data\n    restart:',
)}volumes:\n  data:\n`;

/**
 * Appends to a file in the volume the page the image it runs in holds (only the new commit's image has
 * the new page) and the page served meanwhile (the host's network, the service's PORT).
 */
const MIGRATION =
  'echo "migrating to $(cat /www/index.html)"; ' +
  'echo "image: $(cat /www/index.html); serving: $(wget -q -O - http://127.0.0.1:$PORT/ || echo nothing)" >> /data/migrations';

/** The error annotation of a failed run (the first of the two: the titled one). */
const failure = (run: ActionRun) => run.annotations.find((annotation) => annotation.level === 'error');
/** The summary's steps table as `step: result` lines. */
const stepRows = (run: ActionRun) => summaryTables(run.summary)[0]?.map((row) => `${row[0]}: ${row[1]}`);

/** The project's containers (one: web; one-off ones aside), each as its id and when it started. */
async function webContainer(admin: SshConnection, project: string): Promise<string> {
  const ids = (await runChecked(admin, dockerCommands.projectContainers(project))).stdout.split(/\s+/).filter(Boolean);
  return (await runChecked(admin, ['docker', 'inspect', '--format', '{{.Id}} {{.State.StartedAt}}', ...ids])).stdout.trim();
}

/** The project's one-off containers, running or not: a migration leaves none. */
async function oneOffContainers(admin: SshConnection, project: string): Promise<string> {
  const oneOff = dockerCommands.projectContainers(project).map((word) => word.replace('oneoff=False', 'oneoff=True'));
  return (await runChecked(admin, oneOff)).stdout.trim();
}

/** What the migrations wrote into the volume, read through the web container that mounts it. */
async function migrationsFile(admin: SshConnection, project: string): Promise<string[]> {
  const [id = ''] = (await webContainer(admin, project)).split(' ');
  const read = await admin.run(['docker', 'exec', id, 'cat', '/data/migrations']);
  return read.code === 0 ? read.stdout.trim().split('\n') : [];
}

async function removeVolume(admin: SshConnection, project: string): Promise<void> {
  await admin.run(['docker', 'volume', 'rm', '--force', `${project}_data`]);
}

describe('migrate-command through the bundled action', () => {
  let admin: SshConnection;
  let app: AppRepo;
  let inputs: Partial<Record<InputName, string>>;
  const project = `berth-migrate-${process.pid}`;
  const commits = { v1: '', v2: '', v3: '' };

  const head = async (): Promise<string> => (await runChecked(admin, ['git', '-C', app.path, 'rev-parse', 'HEAD'])).stdout.trim();
  const page = async (): Promise<string> => (await (await fetch(`http://127.0.0.1:${app.port}/`)).text()).trim();
  const releases = async () => {
    const file = await runChecked(admin, ['cat', `${app.path}/.git/berth/releases.json`]);
    return (JSON.parse(file.stdout) as { releases: Array<{ state: string; commit?: string; failedStep?: string }> }).releases;
  };
  const deploy = (sha: string, extra: Partial<Record<InputName, string>> = {}) =>
    runAction({ with: { ...inputs, 'migrate-command': MIGRATION, ...extra }, event: pushEvent(sha) });

  before(async () => {
    admin = await connectSsh(bedSettings());
    app = await createAppRepo(admin, `${testbed().home}/berth-tests/migrate-${process.pid}`, await freePort());
    inputs = bedInputs({ path: app.path, 'project-name': project, 'health-url': `http://localhost:${app.port}/health` });
    commits.v1 = await app.commit({ 'docker-compose.yml': COMPOSE_WITH_VOLUME, 'www/index.html': 'version 1\n' }, 'v1 with a volume');
    commits.v2 = await app.commit({ 'www/index.html': 'version 2\n' }, 'v2');
    commits.v3 = await app.commit({ 'www/index.html': 'version 3\n' }, 'v3');
    // A first deploy: the volume does not exist yet and nothing serves.
    const first = await deploy(commits.v1);
    assert.equal(first.code, 0, first.output);
  });

  after(async () => {
    await removeComposeApp(admin, app.path, project);
    await removeVolume(admin, project);
    await admin.close();
  });

  it("runs in the new image, in the service's volume, before up: the old version served meanwhile", async () => {
    const run = await deploy(commits.v2);
    assert.equal(run.code, 0, run.output);
    assert.equal(run.outputs.status, 'succeeded');
    assert.equal(run.outputs['deployed-ref'], commits.v2);
    assert.deepEqual(await migrationsFile(admin, project), ['image: version 1; serving: nothing', 'image: version 2; serving: version 1']);
    assert.equal(await page(), 'version 2');
    assert.deepEqual(stepRows(run), [
      'step: result',
      'connect: ✅ succeeded',
      'lock: ✅ succeeded',
      'fetch: ✅ succeeded',
      'inputs: ✅ succeeded',
      'pull: ✅ succeeded',
      'build: ✅ succeeded',
      'migrate: ✅ succeeded',
      'up: ✅ succeeded',
      'health: ✅ succeeded',
    ]);
    // Its output streamed in its own group.
    const group = run.groups.find((g) => g.title === "Run the migration in web's new image");
    assert.ok(group?.lines.includes('migrating to version 2'), run.log);
    assert.equal(await oneOffContainers(admin, project), '');
  });

  it('fails at migrate when the migration fails: the old version serves, its container not restarted, no rollback', async () => {
    const before = await webContainer(admin, project);
    const run = await deploy(commits.v3, { 'migrate-command': 'echo "cannot migrate to $(cat /www/index.html)" >&2; exit 3' });
    assert.equal(run.code, 1, run.output);
    assert.equal(run.outputs.status, 'failed');
    assert.equal(run.outputs['deployed-ref'], commits.v2);
    assert.equal(run.outputs['previous-ref'], commits.v2);
    assert.equal(failure(run)?.properties.title, 'berth: migrate failed');
    assert.match(
      failure(run)?.message ?? '',
      /^The migration \(migrate-command\) exited with code 3 in a one-off container of web's new image on .*:\n[\s\S]*cannot migrate to version 3\n/,
    );
    const rows = stepRows(run) ?? [];
    assert.deepEqual(rows.slice(-2), ['build: ✅ succeeded', 'migrate: ❌ failed']);
    assert.match(run.summary, /Failed step: migrate/);
    assert.ok(!rows.some((row) => /^(up|health|rollback):/.test(row)), rows.join('\n'));
    assert.equal(await page(), 'version 2');
    assert.deepEqual(await webContainer(admin, project), before);
    assert.equal(await head(), commits.v2);
    assert.deepEqual(
      (await releases()).slice(-2).map((r) => [r.state, r.commit, r.failedStep]),
      [
        ['succeeded', commits.v2, undefined],
        ['failed', commits.v3, 'migrate'],
      ],
    );
    assert.equal(await oneOffContainers(admin, project), '');
  });

  it("GitHub's cancel during the migration: its container ends and is removed at once, the old version serves", async () => {
    const before = await webContainer(admin, project);
    const running = await startAction({
      with: { ...inputs, 'migrate-command': 'echo "migration started"; sleep 300' },
      event: pushEvent(commits.v3),
    });
    await running.waitForOutput(/migration started/);
    const run = await running.cancel();
    assert.equal(run.code, 1, run.output);
    assert.deepEqual(run.signalsSent, ['SIGINT'], 'it ended within the grace of the first signal');
    assert.equal(run.outputs.status, 'cancelled');
    assert.equal(run.outputs['deployed-ref'], commits.v2);
    assert.equal(failure(run)?.properties.title, 'berth: cancelled in migrate');
    assert.equal(await oneOffContainers(admin, project), '');
    assert.deepEqual(await webContainer(admin, project), before);
    assert.equal(await head(), commits.v2);
    assert.equal(await page(), 'version 2');
  });

  it("refuses an unknown web-service in the new version's inputs step, naming the input: nothing built or started", async () => {
    const before = await webContainer(admin, project);
    const run = await deploy(commits.v3, { 'web-service': 'nope' });
    assert.equal(run.code, 1, run.output);
    assert.equal(run.outputs.status, 'failed');
    assert.equal(run.outputs['deployed-ref'], commits.v2);
    assert.equal(failure(run)?.properties.title, 'berth: invalid input');
    assert.match(
      failure(run)?.message ?? '',
      /^Invalid input 'web-service': "nope" is not a service of the Compose project in .* on .*\. Expected one of: web\./,
    );
    assert.deepEqual(stepRows(run), [
      'step: result',
      'connect: ✅ succeeded',
      'lock: ✅ succeeded',
      'fetch: ✅ succeeded',
      'inputs: ❌ failed',
    ]);
    assert.deepEqual(
      (await releases()).slice(-1).map((r) => [r.state, r.commit, r.failedStep]),
      [['failed', commits.v3, 'inputs']],
    );
    assert.deepEqual(await webContainer(admin, project), before);
    assert.equal(await head(), commits.v2);
    assert.equal(await page(), 'version 2');
  });
});

describe('migrate-command on several hosts', () => {
  let admin: SshConnection;
  let fleet: FleetApp;
  let h1: BedHost, h2: BedHost;
  const commits = { v1: '', v2: '' };
  const inputs = (extra: Partial<Record<InputName, string>>) =>
    bedInputs({ host: fleet.hostInput(), port: '', 'known-hosts': fleet.knownHosts, 'health-timeout': '30', ...extra });
  const rows = (run: ActionRun) =>
    (JSON.parse(run.outputs.hosts ?? '[]') as Array<Record<string, string | null>>).map((row) => [row.status, row.failedStep]);

  before(async () => {
    admin = await connectSsh(bedSettings());
    fleet = await createFleetApp(admin, `migrate-fleet-${process.pid}`, [{}, {}]);
    [h1, h2] = fleet.hosts as [BedHost, BedHost];
    commits.v1 = await fleet.repo.commit({ 'docker-compose.yml': COMPOSE_WITH_VOLUME, 'www/index.html': 'version 1\n' }, 'v1');
    commits.v2 = await fleet.repo.commit({ 'www/index.html': 'version 2\n' }, 'v2');
  });

  after(async () => {
    await fleet.remove();
    for (const host of fleet.hosts) await removeVolume(admin, host.project);
    await admin.close();
  });

  it('runs once per deploy, on the first host, in its own group before any host switches', async () => {
    const run = await runAction({ with: inputs({ 'migrate-command': MIGRATION }), event: pushEvent(commits.v1) });
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(await migrationsFile(admin, h1.project), ['image: version 1; serving: nothing']);
    assert.deepEqual(await migrationsFile(admin, h2.project), []);
    assert.deepEqual(
      run.groups.map((group) => group.title),
      [`${h1.label}: prepare`, `${h2.label}: prepare`, `${h1.label}: migrate`, `${h1.label}: switch`, `${h2.label}: switch`],
    );
  });

  it('a failed migration: no host switches, the first failed at migrate, the other not started', async () => {
    const run = await runAction({ with: inputs({ 'migrate-command': 'exit 3' }), event: pushEvent(commits.v2) });
    assert.equal(run.code, 1, run.output);
    assert.equal(run.outputs.status, 'failed');
    assert.deepEqual(rows(run), [
      ['failed', 'migrate'],
      ['cancelled', null],
    ]);
    assert.equal(failure(run)?.properties.title, 'berth: migrate failed');
    assert.deepEqual(await Promise.all(fleet.hosts.map((host) => fleet.page(host))), ['200 version 1', '200 version 1']);
  });
});
