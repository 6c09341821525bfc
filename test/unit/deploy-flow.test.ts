/** The deploy flow's paths against a scripted Executor (test/helpers/fake-server.ts): no SSH, no Docker, no waiting. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deploy } from '../../core/engine/deploy.js';
import type { EngineDeps } from '../../core/engine/engine-deps.js';
import { commandSucceeded, type DeployStatus } from '../../core/engine/outcome.js';
import { CancelledError } from '../../core/errors.js';
import { type RunContext, sleepUnder } from '../../core/run-context.js';
import { recordingReporter } from '../helpers/engine.js';
import { FakeServer, fakeSettings } from '../helpers/fake-server.js';

const V1 = '1'.repeat(40);
const V2 = '2'.repeat(40);

/** Deps on the fake server, with a clock that moves only when the engine sleeps. */
function fakeDeps(server: FakeServer, context?: RunContext): EngineDeps & { readonly reporter: ReturnType<typeof recordingReporter> } {
  let now = 1_700_000_000_000;
  return {
    reporter: recordingReporter(),
    connect: async () => server,
    lint: async () => {},
    owner: 'unit test',
    clock: () => now,
    sleep: async (ms) => void (now += ms),
    ...(context ? { context } : {}),
  };
}

/** A server running V1 as a recorded good release, with V2 pushed to origin's main. */
async function serverRunningV1(): Promise<FakeServer> {
  const server = new FakeServer([V1, V2]);
  server.refs.set('main', V1);
  const first = await deploy(fakeSettings({ ref: 'main' }), fakeDeps(server));
  assert.equal(first.status, 'succeeded', first.error);
  server.refs.set('main', V2);
  server.runs.length = 0;
  return server;
}

describe('deploy on a scripted server', () => {
  it('ships, proves and records the release; the lock is released and the connection closed', async () => {
    const server = await serverRunningV1();
    const outcome = await deploy(fakeSettings({ ref: 'main' }), fakeDeps(server));
    assert.equal(outcome.status, 'succeeded', outcome.error);
    assert.equal(outcome.deployedRef, V2);
    assert.equal(outcome.previousRef, V1);
    assert.deepEqual(
      outcome.steps.map((s) => s.name),
      ['connect', 'lock', 'fetch', 'build', 'up', 'health'],
    );
    assert.deepEqual(
      server.releases().map((r) => [r.state, r.commit]),
      [
        ['succeeded', V1],
        ['succeeded', V2],
      ],
    );
    assert.equal(server.lockHeld, false);
    assert.equal(server.closed, true);
  });

  it('runs every remote command under the run signal, except the lock that outlives a cancel', async () => {
    const server = await serverRunningV1();
    const context: RunContext = { signal: new AbortController().signal, deadline: undefined };
    await deploy(fakeSettings({ ref: 'main' }), fakeDeps(server, context));
    const unsignalled = server.runs.filter((r) => r.options.signal !== context.signal).map((r) => r.argv[3]);
    assert.deepEqual(unsignalled, ['berth-lock']);
  });

  it('does not start when the run is already cancelled', async () => {
    const server = await serverRunningV1();
    const controller = new AbortController();
    controller.abort();
    const outcome = await deploy(fakeSettings({ ref: 'main' }), fakeDeps(server, { signal: controller.signal, deadline: undefined }));
    assert.equal(outcome.status, 'cancelled');
    assert.equal(outcome.failedStep, 'connect');
    assert.match(outcome.error ?? '', /cancelled\. It was in the connect step; nothing had changed on the server/);
    assert.equal(server.runs.length, 0);
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
