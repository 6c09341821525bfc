/**
 * A deploy stopped part-way (cancelled, or past its `timeout`), a push deploy that arrives after a newer
 * one went live, and a release a dead run left in progress: against the scripted server, no waiting.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deploy } from '../../core/engine/deploy.js';
import { status } from '../../core/engine/manual/status.js';
import { commandSucceeded } from '../../core/engine/outcome.js';
import { ConnectionLostError, RunTimedOutError } from '../../core/errors.js';
import { newRelease, transition } from '../../core/release/release.js';
import { RunControl } from '../../core/run-control.js';
import { type FakeServer, fakeDeps, fakeSettings, RELEASES_FILE, serverAfterDeploys, V1, V2, V3 } from '../helpers/fake-server.js';

/** A server where V1 went live as a recorded release, with V2 on origin's main (V1, V2, V3 in that order). */
async function serverRunningV1(): Promise<FakeServer> {
  const server = await serverAfterDeploys(V1);
  server.refs.set('main', V2);
  return server;
}

const composeUp = (argv: readonly string[]): boolean => argv[0] === 'docker-compose' && argv.includes('up') && argv.includes('--build');
const inspect = (argv: readonly string[]): boolean =>
  (argv[0] === 'docker' && argv[1] === 'inspect') || (argv[0] === 'sh' && argv[3] === 'berth-containers');

describe('a cancelled deploy', () => {
  it('stops in the build: the release is cancelled in `build`, the old version untouched, no rollback', async () => {
    const server = await serverRunningV1();
    const control = new RunControl();
    server.stall(composeUp, () => control.cancel('SIGINT'));
    const outcome = await deploy(fakeSettings({ ref: 'main' }), fakeDeps(server, control.context));
    assert.equal(outcome.status, 'cancelled', outcome.error);
    assert.equal(commandSucceeded(outcome), false);
    assert.equal(outcome.failedStep, 'build');
    assert.match(
      outcome.error ?? '',
      /cancelled \(SIGINT\)\. It was in the build step; its remote work was stopped, and the old version \(111111111111\) was not touched/,
    );
    assert.equal(outcome.deployedRef, V1);
    assert.deepEqual(
      outcome.steps.map((s) => `${s.name} ${s.result}`),
      ['connect succeeded', 'lock succeeded', 'fetch succeeded', 'pull succeeded', 'build failed'],
    );
    const release = server.releases().at(-1);
    assert.equal(release?.state, 'cancelled');
    assert.equal(release?.failedStep, 'build');
    assert.equal(server.running, V1);
    assert.equal(server.head, V1, 'the checkout is put back');
    assert.equal(server.lockHeld, false);
    assert.equal(server.closed, true);
  });

  it('stops in the health check: rolled back to what ran, still `cancelled`', async () => {
    const server = await serverRunningV1();
    const control = new RunControl();
    server.stall(inspect, () => control.cancel('SIGINT'));
    const outcome = await deploy(fakeSettings({ ref: 'main' }), fakeDeps(server, control.context));
    assert.equal(outcome.status, 'cancelled', outcome.error);
    assert.equal(outcome.failedStep, 'health');
    assert.match(outcome.error ?? '', /in the health step, after the new version had started; rolled back to 111111111111\./);
    assert.equal(outcome.deployedRef, V1);
    assert.equal(outcome.steps.at(-1)?.name, 'rollback');
    assert.equal(outcome.steps.at(-1)?.result, 'succeeded');
    assert.equal(server.running, V1);
    assert.deepEqual(
      server.releases().map((r) => [r.state, r.commit]),
      [
        ['succeeded', V1],
        ['cancelled', V2],
      ],
    );
  });

  it('when the runner says the clean-up is over (SIGTERM), records the release and rolls nothing back', async () => {
    const server = await serverRunningV1();
    const control = new RunControl();
    server.stall(inspect, () => control.endCleanup('SIGTERM'));
    const outcome = await deploy(fakeSettings({ ref: 'main' }), fakeDeps(server, control.context));
    assert.equal(outcome.status, 'cancelled');
    assert.match(outcome.error ?? '', /rolling back to 111111111111 did not finish/);
    assert.equal(server.releases().at(-1)?.state, 'cancelled');
    assert.equal(server.lockHeld, false);
  });

  it('waiting for the lock: leaves the queue and records nothing', async () => {
    const server = await serverRunningV1();
    server.lockHeld = true;
    const control = new RunControl();
    const running = deploy(fakeSettings({ ref: 'main' }), fakeDeps(server, control.context));
    await new Promise((resolve) => setTimeout(resolve, 10));
    control.cancel('SIGINT');
    const outcome = await running;
    assert.equal(outcome.status, 'cancelled');
    assert.equal(outcome.failedStep, 'lock');
    assert.equal(server.releases().length, 1);
  });
});

describe('a deploy past its timeout', () => {
  it('fails naming the step and "timed out", and takes the usual rollback', async () => {
    const server = await serverRunningV1();
    const controller = new AbortController();
    server.stall(inspect, () =>
      controller.abort(new RunTimedOutError("The run timed out: it did not finish within 5s (input 'timeout').")),
    );
    const outcome = await deploy(fakeSettings({ ref: 'main' }), fakeDeps(server, { signal: controller.signal, deadline: 0 }));
    assert.equal(outcome.status, 'rolled_back', outcome.error);
    assert.equal(outcome.failedStep, 'health');
    assert.match(
      outcome.error ?? '',
      /timed out: it did not finish within 5s .* stopped in the health step; the rollback gets its own grace of 60s/,
    );
    assert.equal(server.running, V1);
    const release = server.releases().at(-1);
    assert.equal(release?.state, 'rolled_back');
    assert.match(release?.error ?? '', /timed out/);
  });

  it('is enforced by the run control, with the reason naming the input', async () => {
    const control = new RunControl({ timeoutMs: 5 });
    await new Promise((resolve) => control.context.signal.addEventListener('abort', resolve));
    assert.ok(control.context.signal.reason instanceof RunTimedOutError);
    assert.match((control.context.signal.reason as Error).message, /within 0s \(input 'timeout'\)/);
    assert.equal(control.cancel('SIGINT'), false, 'a run stops once');
    control.dispose();
  });
});

describe('deploys that arrive out of order', () => {
  async function serverRunningV3(): Promise<FakeServer> {
    const server = await serverRunningV1();
    server.refs.set('main', V3);
    assert.equal((await deploy(fakeSettings({ ref: 'main' }), fakeDeps(server))).status, 'succeeded');
    server.runs.length = 0;
    return server;
  }

  it('a push deploy of an older commit skips itself as superseded: exit 0, nothing changed', async () => {
    const server = await serverRunningV3();
    const settings = fakeSettings({ ref: V2 });
    const outcome = await deploy({ ...settings, trigger: 'push' }, fakeDeps(server));
    assert.equal(outcome.status, 'superseded');
    assert.equal(commandSucceeded(outcome), true);
    assert.equal(outcome.supersededBy, V3);
    assert.equal(outcome.deployedRef, V3);
    assert.equal(server.running, V3);
    assert.equal(server.head, V3);
    assert.ok(!server.lines().some((line) => line.includes('checkout')), 'nothing is checked out');
    const release = server.releases().at(-1);
    assert.equal(release?.state, 'superseded');
    assert.equal(release?.commit, V2);
  });

  it('a manual deploy of an older commit does what it is told', async () => {
    const server = await serverRunningV3();
    const outcome = await deploy(fakeSettings({ ref: V2 }), fakeDeps(server));
    assert.equal(outcome.status, 'succeeded', outcome.error);
    assert.equal(server.running, V2);
  });

  it('a push deploy of a newer commit, or of the one running, deploys', async () => {
    const server = await serverRunningV1();
    for (const commit of [V3, V3]) {
      const outcome = await deploy({ ...fakeSettings({ ref: commit }), trigger: 'push' }, fakeDeps(server));
      assert.equal(outcome.status, 'succeeded', outcome.error);
    }
  });
});

describe('a release left in progress by a run that is gone', () => {
  function leftInProgress(server: FakeServer): string {
    const history = JSON.parse(server.files.get(RELEASES_FILE) ?? '{}') as { releases: unknown[] };
    const dead = transition({ ...newRelease('main', V1), commit: V2 }, 'in_progress');
    history.releases.push(dead);
    server.files.set(RELEASES_FILE, JSON.stringify(history));
    return dead.id;
  }

  it('is what a run that lost its connection leaves: it fails naming the step and the cause, and tries nothing more', async () => {
    const server = await serverRunningV1();
    // The health check's first poll (the second docker inspect: the first learns the project) meets a dropped connection.
    let inspected = 0;
    server.fail(
      (argv) => inspect(argv) && ++inspected === 2,
      { reject: new ConnectionLostError('The connection to deploy@fake:22 was lost.') },
      1,
    );
    const outcome = await deploy(fakeSettings({ ref: 'main' }), fakeDeps(server));
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.failedStep, 'health');
    assert.match(
      outcome.error ?? '',
      /connection to deploy@fake:22 was lost\.\nNothing more can be done .* the next deploy takes the lock at once/,
    );
    const lostAt = server.lines().findLastIndex((line) => line.startsWith('docker inspect') || line.includes('berth-containers'));
    // The poll reads the server's clock beside the containers: that read may be sent just after.
    const after = server
      .lines()
      .slice(lostAt + 1)
      .filter((line) => line !== 'date -u +%s');
    assert.deepEqual(after, [], 'no logs, record or rollback over a dropped connection');
    assert.equal(server.releases().at(-1)?.state, 'in_progress');
    const next = await deploy(fakeSettings({ ref: 'main' }), fakeDeps(server));
    assert.equal(next.status, 'succeeded', next.error);
    assert.equal(server.releases().at(-2)?.state, 'failed');
    assert.match(server.releases().at(-2)?.error ?? '', /^interrupted/);
  });

  it('is marked failed, interrupted, by the next run that takes the lock', async () => {
    const server = await serverRunningV1();
    const id = leftInProgress(server);
    const deps = fakeDeps(server);
    const outcome = await deploy(fakeSettings({ ref: 'main' }), deps);
    assert.equal(outcome.status, 'succeeded', outcome.error);
    const dead = server.releases().find((r) => r.id === id);
    assert.equal(dead?.state, 'failed');
    assert.match(dead?.error ?? '', /^interrupted: .*found by unit test at/);
    assert.match(deps.reporter.text(), /left in progress by a run that is gone: marked failed/);
  });

  it('is marked by status when the lock is free, and left alone while a run holds it', async () => {
    const server = await serverRunningV1();
    const id = leftInProgress(server);
    server.lockHeld = true;
    await status(fakeSettings({ command: 'status' }), fakeDeps(server));
    assert.equal(server.releases().find((r) => r.id === id)?.state, 'in_progress', 'a run holds the lock: it is alive');
    server.lockHeld = false;
    const outcome = await status(fakeSettings({ command: 'status' }), fakeDeps(server));
    assert.equal(outcome.release?.state, 'failed');
    assert.equal(server.releases().find((r) => r.id === id)?.state, 'failed');
    assert.equal(server.lockHeld, false);
  });
});
