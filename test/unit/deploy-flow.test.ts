/** The deploy flow's paths against a scripted Executor (test/helpers/fake-server.ts): no SSH, no Docker, no waiting. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deploy } from '../../core/engine/deploy.js';
import { commandSucceeded, type DeployStatus } from '../../core/engine/outcome.js';
import { CancelledError } from '../../core/errors.js';
import { type RunContext, sleepUnder } from '../../core/run-context.js';
import { fakeDeps, fakeSettings, RELEASES_FILE, serverAfterDeploys, V1, V2, V3 } from '../helpers/fake-server.js';

const isWrite = (argv: readonly string[]): boolean => argv[3] === 'berth-write';
const isTag = (argv: readonly string[]): boolean => argv[1] === 'image' && argv[2] === 'tag';
const isInspect = (argv: readonly string[]): boolean =>
  (argv[0] === 'docker' && argv[1] === 'inspect') || (argv[0] === 'sh' && argv[3] === 'berth-containers');

describe('deploy on a scripted server', () => {
  it('ships, proves and records the release; the lock is released and the connection closed', async () => {
    const server = await serverAfterDeploys(V1);
    server.refs.set('main', V2);
    const outcome = await deploy(fakeSettings({ ref: 'main' }), fakeDeps(server));
    assert.equal(outcome.status, 'succeeded', outcome.error);
    assert.equal(outcome.deployedRef, V2);
    assert.equal(outcome.previousRef, V1);
    assert.deepEqual(
      outcome.steps.map((s) => s.name),
      ['connect', 'lock', 'fetch', 'pull', 'up', 'health'],
    );
    assert.deepEqual(
      server.releases().map((r) => [r.state, r.commit]),
      [
        ['succeeded', V1],
        ['succeeded', V2],
      ],
    );
    assert.deepEqual(outcome.warnings, []);
    assert.equal(server.lockHeld, false);
    assert.equal(server.closed, true);
  });

  it('learns the project label from the Compose files: no compose ps, each look at the containers one docker command', async () => {
    const server = await serverAfterDeploys(V1);
    server.refs.set('main', V2);
    const outcome = await deploy(fakeSettings({ ref: 'main' }), fakeDeps(server));
    assert.equal(outcome.status, 'succeeded', outcome.error);
    assert.deepEqual(
      server.lines().filter((line) => line.startsWith('docker-compose') && line.includes(' ps')),
      [],
    );
    assert.ok(
      server
        .lines()
        .some((line) =>
          line.includes('berth-containers docker ps --all --quiet --no-trunc --filter label=com.docker.compose.project=app '),
        ),
    );
  });

  it('runs every remote command under the run signal, except the lock and the record of a release that went live', async () => {
    const server = await serverAfterDeploys(V1);
    const context: RunContext = { signal: new AbortController().signal, deadline: undefined };
    await deploy(fakeSettings({ ref: V2 }), fakeDeps(server, context));
    const unsignalled = server.runs.filter((r) => r.options.signal !== context.signal).map((r) => r.argv[3]);
    // The lock outlives a cancel until the run has recorded how it ended; a release that went live is recorded whatever happens.
    assert.deepEqual(unsignalled, ['berth-lock', 'berth-write']);
  });

  it('does not start when the run is already cancelled', async () => {
    const server = await serverAfterDeploys(V1);
    const controller = new AbortController();
    controller.abort();
    const outcome = await deploy(fakeSettings({ ref: V2 }), fakeDeps(server, { signal: controller.signal, deadline: undefined }));
    assert.equal(outcome.status, 'cancelled');
    assert.equal(outcome.failedStep, 'connect');
    assert.match(outcome.error ?? '', /cancelled\. It was in the connect step; nothing had changed on the server/);
    assert.equal(server.runs.length, 0);
  });
});

describe('a deploy that became healthy', () => {
  for (const [what, breakIt] of [
    ['tagging the kept images fails', (server) => void server.fail(isTag, { code: 1, stderr: 'no space left on device' })],
    ['saving the release fails', (server) => server.failAfter(isWrite, 1, { code: 1, stderr: 'read-only file system' })],
    [
      'the connection drops',
      (server) => {
        // The second inspect is the health check's (the first learns the project during up).
        let inspects = 0;
        server.onAnswered = (argv) => {
          if (isInspect(argv) && ++inspects === 2) server.drop();
        };
      },
    ],
  ] as const satisfies ReadonlyArray<readonly [string, (server: Awaited<ReturnType<typeof serverAfterDeploys>>) => void]>) {
    it(`is succeeded when ${what} afterwards, with a warning`, async () => {
      const server = await serverAfterDeploys(V1);
      breakIt(server);
      const deps = fakeDeps(server);
      const outcome = await deploy(fakeSettings({ ref: V2 }), deps);
      assert.equal(outcome.status, 'succeeded', outcome.error);
      assert.equal(outcome.release?.state, 'succeeded');
      assert.equal(outcome.deployedRef, V2);
      assert.ok(outcome.warnings.length > 0);
      assert.match(deps.reporter.text(), /warning: .*(keep|record|prune)/i);
      assert.equal(server.lockHeld, false);
    });
  }
});

describe('a deploy that failed', () => {
  it('rolls back even when its own release writes fail, and says so', async () => {
    const server = await serverAfterDeploys(V1);
    server.brokenUps = 1;
    server.failAfter(isWrite, 1, { code: 1, stderr: 'disk full' });
    const deps = fakeDeps(server);
    const outcome = await deploy(fakeSettings({ ref: V2 }), deps);
    assert.equal(outcome.status, 'rolled_back', outcome.error);
    assert.equal(outcome.failedStep, 'health');
    assert.equal(outcome.deployedRef, V1);
    assert.equal(server.running, V1);
    assert.ok(outcome.warnings.some((w) => /disk full/.test(w)));
  });

  it('rolls a failed redeploy of the running commit back to that commit, not past it', async () => {
    const server = await serverAfterDeploys(V1, V2);
    server.brokenUps = 1;
    const outcome = await deploy(fakeSettings({ ref: V2 }), fakeDeps(server));
    assert.equal(outcome.status, 'rolled_back', outcome.error);
    assert.equal(outcome.deployedRef, V2);
    assert.equal(server.head, V2);
    assert.equal(server.running, V2);
  });

  it('after a deploy that was left running unhealthy, rolls back to the last good release, not to that one', async () => {
    const server = await serverAfterDeploys(V1, V2);
    server.brokenUps = 1;
    const left = await deploy(fakeSettings({ ref: V3, 'rollback-on-failure': 'false' }), fakeDeps(server));
    assert.equal(left.status, 'failed');
    assert.equal(server.running, V3);
    server.brokenUps = 1;
    const outcome = await deploy(fakeSettings({ ref: V1 }), fakeDeps(server));
    assert.equal(outcome.status, 'rolled_back', outcome.error);
    assert.equal(outcome.previousRef, V3);
    assert.deepEqual(outcome.rollback, { from: V1, to: V2, images: 'kept' });
    assert.equal(server.running, V2);
  });

  it('puts the checkout back when the ref cannot be fetched, naming the input', async () => {
    const server = await serverAfterDeploys(V1);
    const outcome = await deploy(fakeSettings({ ref: 'no-such-branch' }), fakeDeps(server));
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.failedStep, 'fetch');
    assert.match(outcome.error ?? '', /input 'ref': "no-such-branch" does not name a commit/);
    assert.equal(server.head, V1);
  });
});

describe('what runs', () => {
  it('is the last release that went live, not the checkout a killed run left behind', async () => {
    const server = await serverAfterDeploys(V1);
    // A run that was killed mid-build: its release stays in progress and its commit checked out.
    const history = JSON.parse(server.files.get(RELEASES_FILE) ?? '') as { releases: object[] };
    history.releases.push({ id: 'killed', ref: V2, commit: V2, previousCommit: V1, state: 'in_progress', steps: [] });
    server.files.set(RELEASES_FILE, JSON.stringify(history));
    server.head = V2;
    const outcome = await deploy(fakeSettings({ ref: V3 }), fakeDeps(server));
    assert.equal(outcome.status, 'succeeded', outcome.error);
    assert.equal(outcome.previousRef, V1);
    assert.equal(server.releases().at(-1)?.previousCommit, V1);
  });
});

describe('the success rule', () => {
  it('is succeeded, and only succeeded', () => {
    const statuses: DeployStatus[] = ['succeeded', 'failed', 'rolled_back'];
    assert.deepEqual(
      statuses.map((status) => commandSucceeded({ status })),
      [true, false, false],
    );
  });
});

describe('sleepUnder', () => {
  it('ends a sleep when the run is cancelled, with the cancel reason', async () => {
    const controller = new AbortController();
    const sleep = sleepUnder(() => new Promise(() => {}), controller.signal);
    const slept = sleep(60_000);
    controller.abort(new CancelledError('The run was cancelled (SIGINT).'));
    await assert.rejects(slept, /cancelled \(SIGINT\)/);
    await assert.rejects(sleep(1), /cancelled \(SIGINT\)/);
  });
});
