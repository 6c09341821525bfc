/**
 * `migrate-command` in the deploy flow, against scripted servers (test/helpers/fake-server.ts): where the
 * `migrate` step runs, what a failed migration leaves, and the web service found before anything changes;
 * the migration's script with the real `sh`. End to end: test/integration/migrate.test.ts.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { migrationArgv } from '../../core/commands/migration.js';
import { deploy } from '../../core/engine/deploy.js';
import { deployFleet } from '../../core/fleet/fleet-deploy.js';
import { CancelledError, RunTimedOutError } from '../../core/errors.js';
import { fakeDeps, type FakeServer, fakeSettings, serverAfterDeploys, V1, V2 } from '../helpers/fake-server.js';

const MIGRATE = 'bin/migrate --all';
const isRun = (argv: readonly string[]): boolean => argv[0] === 'docker-compose' && argv.includes('run');
/** What a Compose command does, for following the order of a deploy; undefined for any other command. */
const verbOf = (argv: readonly string[]): string | undefined =>
  argv[0] === 'docker-compose' ? (argv.find((word) => ['pull', 'build', 'run', 'up', 'config', 'ps'].includes(word)) ?? '?') : undefined;
const composeVerbs = (server: FakeServer): string[] => server.runs.flatMap((r) => verbOf(r.argv) ?? []).filter((verb) => verb !== 'ps');

describe('a deploy with migrate-command', () => {
  it('builds, migrates in a one-off container of the web service, then starts without building again', async () => {
    const server = await serverAfterDeploys(V1);
    server.composeConfig = "version: '2.4'\nservices:\n  web:\n    build:\n      context: /srv/app\n";
    const outcome = await deploy(fakeSettings({ ref: V2, 'migrate-command': MIGRATE }), fakeDeps(server));
    assert.equal(outcome.status, 'succeeded', outcome.error);
    assert.deepEqual(
      outcome.steps.map((s) => s.name),
      ['connect', 'lock', 'fetch', 'inputs', 'pull', 'build', 'migrate', 'up', 'health'],
    );
    // The web service is found in the new commit before anything is built (one render: see findWebService),
    // and its config rendered once more under Compose v1 (see the next test); every service is built, so no pull.
    assert.deepEqual(composeVerbs(server), ['config', 'build', 'config', 'run', 'up']);
    const run = server.runs.find((r) => isRun(r.argv));
    assert.deepEqual(run?.argv, ['docker-compose', 'run', '--rm', '-T', 'web', ...migrationArgv(MIGRATE)]);
    assert.equal(run?.options.cwd, '/srv/app');
    assert.ok(server.lines().some((line) => line.endsWith('up --detach --remove-orphans --no-build')));
  });

  it('under Compose v1, runs a copy of a running host-networked service (v1 would link it to itself), then removes its file', async () => {
    const server = await serverAfterDeploys(V1);
    const outcome = await deploy(fakeSettings({ ref: V2, 'migrate-command': MIGRATE }), fakeDeps(server));
    assert.equal(outcome.status, 'succeeded', outcome.error);
    const file = '/srv/app/.git/berth/one-off.compose.yml';
    const run = server.runs.find((r) => isRun(r.argv));
    assert.deepEqual(run?.argv, [
      'docker-compose',
      '--file',
      file,
      '--project-name',
      'app',
      'run',
      '--rm',
      '-T',
      'web-berth-oneoff',
      ...migrationArgv(MIGRATE),
    ]);
    assert.match(server.files.get(file) ?? '', /web-berth-oneoff:\n {4}network_mode: host\n {4}image: app_web\n/);
    const afterRun = server.lines().slice(server.runs.indexOf(run as (typeof server.runs)[number]) + 1);
    assert.equal(afterRun[0], `rm -f -- ${file}`);
  });

  it('fails at migrate when the migration fails: nothing started, no rollback, checkout and image names put back', async () => {
    const server = await serverAfterDeploys(V1);
    server.fail(isRun, { code: 3, stderr: 'relation "users" already exists' });
    const deps = fakeDeps(server);
    const outcome = await deploy(fakeSettings({ ref: V2, 'migrate-command': MIGRATE }), deps);
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.failedStep, 'migrate');
    assert.deepEqual(
      server.releases().map((r) => [r.state, r.commit, r.failedStep]),
      [
        ['succeeded', V1, undefined],
        ['failed', V2, 'migrate'],
      ],
    );
    assert.equal(server.running, V1);
    assert.match(
      outcome.error ?? '',
      /^The migration \(migrate-command\) exited with code 3 in a one-off container of web's new image on deploy@fake:22:\nrelation "users" already exists/,
    );
    assert.equal(outcome.deployedRef, V1);
    assert.deepEqual(
      outcome.steps.map((s) => `${s.name} ${s.result}`),
      ['connect succeeded', 'lock succeeded', 'fetch succeeded', 'inputs succeeded', 'pull succeeded', 'build succeeded', 'migrate failed'],
    );
    // After the failure: the checkout back at V1 and V1's image under the service's image name again.
    const afterRun = server.lines().slice(server.runs.findIndex((r) => isRun(r.argv)) + 1);
    assert.ok(afterRun.includes(`git -C /srv/app checkout --quiet --force --detach ${V1}`), afterRun.join('\n'));
    assert.ok(afterRun.includes(`docker image tag sha256:${V1} app_web`), afterRun.join('\n'));
    assert.ok(!afterRun.some((line) => / up /.test(line)), afterRun.join('\n'));
    assert.match(deps.reporter.text(), /The old version kept serving throughout: nothing to roll back/);
  });

  it("refuses an unknown web-service in the new version's inputs step, before anything is built: the old version serves", async () => {
    const server = await serverAfterDeploys(V1);
    const outcome = await deploy(fakeSettings({ ref: V2, 'migrate-command': MIGRATE, 'web-service': 'nope' }), fakeDeps(server));
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.failedStep, 'inputs');
    assert.match(
      outcome.error ?? '',
      /^Invalid input 'web-service': "nope" is not a service of the Compose project in \/srv\/app on deploy@fake:22\. Expected one of: web\./,
    );
    assert.deepEqual(composeVerbs(server), ['config']);
    assert.deepEqual(
      outcome.steps.map((s) => `${s.name} ${s.result}`),
      ['connect succeeded', 'lock succeeded', 'fetch succeeded', 'inputs failed'],
    );
    assert.deepEqual(server.releases().at(-1)?.failedStep, 'inputs');
    assert.equal(outcome.deployedRef, V1);
    assert.equal(server.head, V1);
    assert.equal(server.running, V1);
  });
});

describe('a deploy stopped during its migration', () => {
  for (const how of ['cancelled', 'timed out'] as const) {
    it(`${how}: nothing started, no rollback; the checkout and the image names put back`, async () => {
      const server = await serverAfterDeploys(V1);
      const controller = new AbortController();
      const reason =
        how === 'cancelled' ? new CancelledError('The run was cancelled (SIGINT).') : new RunTimedOutError('The run timed out.');
      server.stall(isRun, () => controller.abort(reason));
      const context = { signal: controller.signal, deadline: how === 'cancelled' ? undefined : 0 };
      const outcome = await deploy(fakeSettings({ ref: V2, 'migrate-command': MIGRATE }), fakeDeps(server, context));
      assert.equal(outcome.status, how === 'cancelled' ? 'cancelled' : 'failed', outcome.error);
      assert.equal(outcome.failedStep, 'migrate');
      assert.equal(outcome.deployedRef, V1);
      assert.equal(server.releases().at(-1)?.failedStep, 'migrate');
      const afterRun = server.lines().slice(server.runs.findIndex((r) => isRun(r.argv)) + 1);
      assert.ok(afterRun.includes(`docker image tag sha256:${V1} app_web`), afterRun.join('\n'));
      assert.ok(!afterRun.some((line) => / up /.test(line)), afterRun.join('\n'));
      assert.equal(server.head, V1);
      assert.equal(server.running, V1);
    });
  }
});

describe('a deploy with migrate-command on several hosts', () => {
  const fleet = async (): Promise<[FakeServer, FakeServer]> => [await serverAfterDeploys(V1), await serverAfterDeploys(V1)];
  const deployOn = (servers: readonly FakeServer[]) => {
    const settings = fakeSettings({ host: 'a.example.com\nb.example.com', ref: V2, 'migrate-command': MIGRATE });
    const [a, b] = servers;
    return deployFleet(settings, {
      ...fakeDeps(a as FakeServer),
      connect: async (ssh) => (ssh.host === 'a.example.com' ? a : b) as FakeServer,
    });
  };

  it('migrates once, on the first host, after both built and before either started', async () => {
    const [a, b] = await fleet();
    const order: string[] = [];
    a.onAnswered = (argv) => void order.push(`a ${verbOf(argv) ?? ''}`);
    b.onAnswered = (argv) => void order.push(`b ${verbOf(argv) ?? ''}`);
    const outcome = await deployOn([a, b]);
    assert.equal(outcome.status, 'succeeded', outcome.error);
    assert.equal(a.runs.filter((r) => isRun(r.argv)).length, 1);
    assert.equal(b.runs.filter((r) => isRun(r.argv)).length, 0);
    const steps = order.filter((line) => /(build|run|up)$/.test(line));
    assert.deepEqual(steps.slice(2), ['a run', 'a up', 'b up'], steps.join('\n'));
    assert.deepEqual(steps.slice(0, 2).sort(), ['a build', 'b build']);
  });

  it('when the migration fails: no host switches; the first failed at migrate, the other not started, both put back', async () => {
    const [a, b] = await fleet();
    a.fail(isRun, { code: 3 });
    const outcome = await deployOn([a, b]);
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.failedStep, 'migrate');
    assert.deepEqual(
      outcome.hosts.map((row) => [row.status, row.failedStep, row.commit]),
      [
        ['failed', 'migrate', V1],
        ['cancelled', undefined, V1],
      ],
    );
    assert.match(outcome.hosts[1]?.error ?? '', /Not started: a\.example\.com failed in the migrate step/);
    for (const server of [a, b]) {
      assert.equal(server.head, V1);
      assert.equal(server.running, V1);
      assert.ok(!server.lines().some((line) => / up /.test(line)));
    }
  });
});

describe("the migration's script in the container", () => {
  it("is `sh -c <command>`: the command's output and exit status", () => {
    const [program, ...args] = migrationArgv('echo "migrated $0"; exit 3');
    const ran = spawnSync(program ?? '', args, { encoding: 'utf8' });
    assert.equal(ran.status, 3);
    assert.equal(ran.stdout, 'migrated sh\n');
  });

  it('exits on TERM without waiting for the command, as the container it is the first process of is stopped', async () => {
    const [program, ...args] = migrationArgv('echo started; sleep 30');
    // Its own process group, so the command it leaves behind here (in a container, the kernel ends it) is ended too.
    const child = spawn(program ?? '', args, { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    try {
      await new Promise((resolve) => child.stdout.once('data', resolve));
      child.kill('SIGTERM');
      // 143 is the trap's exit: without it, TERM would end the shell by the signal (no code) or not at all (as PID 1).
      const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('exit', (...ended) => resolve(ended)));
      assert.deepEqual([code, signal], [143, null]);
    } finally {
      process.kill(-(child.pid ?? 0), 'SIGKILL');
    }
  });
});
