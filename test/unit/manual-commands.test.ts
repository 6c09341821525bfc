/** rollback, restart and status against a scripted Executor (test/helpers/fake-server.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deploy } from '../../core/engine/deploy.js';
import { runCommand } from '../../core/engine/run-command.js';
import { fakeDeps, fakeSettings, RELEASES_FILE, serverAfterDeploys, V1, V2, V3 } from '../helpers/fake-server.js';

const isImageInspect = (argv: readonly string[]): boolean => argv[1] === 'image' && argv[2] === 'inspect';

describe('rollback', () => {
  it('says from which commit to which, and that the kept images were used', async () => {
    const server = await serverAfterDeploys(V1, V2);
    const outcome = await runCommand(fakeSettings({ command: 'rollback' }), fakeDeps(server));
    assert.equal(outcome.status, 'succeeded', outcome.error);
    assert.deepEqual(outcome.rollback, { from: V2, to: V1, images: 'kept' });
    assert.deepEqual(
      outcome.steps.map((s) => s.name),
      ['connect', 'lock', 'rollback'],
    );
    assert.equal(server.running, V1);
  });

  it('says it rebuilt when the kept images are gone', async () => {
    const server = await serverAfterDeploys(V1, V2);
    server.fail(isImageInspect, { code: 1, stderr: 'No such image' });
    const outcome = await runCommand(fakeSettings({ command: 'rollback', ref: V1 }), fakeDeps(server));
    assert.equal(outcome.status, 'succeeded', outcome.error);
    assert.deepEqual(outcome.rollback, { from: V2, to: V1, images: 'rebuilt' });
  });

  it('that fails puts back what was running before it', async () => {
    const server = await serverAfterDeploys(V1, V2);
    server.brokenUps = 1;
    const outcome = await runCommand(fakeSettings({ command: 'rollback' }), fakeDeps(server));
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.failedStep, 'rollback');
    assert.match(outcome.error ?? '', /unhealthy[\s\S]*put back 222222222222/);
    assert.equal(outcome.deployedRef, V2);
    assert.equal(server.head, V2);
    assert.equal(server.running, V2);
    assert.equal(server.releases().at(-1)?.state, 'failed');
  });

  it('with no previous good release fails naming the input, and changes nothing', async () => {
    const server = await serverAfterDeploys(V1);
    const before = server.files.get(RELEASES_FILE);
    const outcome = await runCommand(fakeSettings({ command: 'rollback' }), fakeDeps(server));
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.failedStep, 'rollback');
    assert.match(outcome.error ?? '', /input 'ref' is empty and there is no good release before 111111111111/);
    assert.equal(server.files.get(RELEASES_FILE), before);
    assert.equal(server.head, V1);
    assert.equal(server.lockHeld, false);
  });

  it('to a ref the repository does not have fails naming the input, and changes nothing', async () => {
    const server = await serverAfterDeploys(V1, V2);
    const before = server.files.get(RELEASES_FILE);
    const outcome = await runCommand(fakeSettings({ command: 'rollback', ref: 'v0.9' }), fakeDeps(server));
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.failedStep, 'inputs');
    assert.match(outcome.error ?? '', /input 'ref': "v0.9" does not name a commit/);
    assert.equal(server.files.get(RELEASES_FILE), before);
    assert.equal(server.head, V2);
    assert.ok(!server.lines().some((line) => / up /.test(line)));
  });

  it('after a deploy left running unhealthy, goes from that deploy back to the good release before it', async () => {
    const server = await serverAfterDeploys(V1, V2);
    server.brokenUps = 1;
    await deploy(fakeSettings({ ref: V3, 'rollback-on-failure': 'false' }), fakeDeps(server));
    const status = await runCommand(fakeSettings({ command: 'status' }), fakeDeps(server));
    assert.equal(status.deployedRef, V3, 'what runs is the deploy left running');
    assert.equal(status.checkedOut, undefined);
    const outcome = await runCommand(fakeSettings({ command: 'rollback' }), fakeDeps(server));
    assert.equal(outcome.status, 'succeeded', outcome.error);
    assert.deepEqual(outcome.rollback, { from: V3, to: V2, images: 'kept' });
    assert.equal(server.running, V2);
  });

  it('names the lock as the failed step when another run holds it', async () => {
    const server = await serverAfterDeploys(V1, V2);
    server.lockHeld = true;
    const outcome = await runCommand(fakeSettings({ command: 'rollback', 'lock-timeout': '0' }), fakeDeps(server));
    assert.equal(outcome.failedStep, 'lock');
    assert.match(outcome.error ?? '', /holds the lock/);
  });
});

describe('restart', () => {
  it('takes the lock, so it cannot race a deploy', async () => {
    const server = await serverAfterDeploys(V1);
    server.lockHeld = true;
    const outcome = await runCommand(fakeSettings({ command: 'restart', 'lock-timeout': '0' }), fakeDeps(server));
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.failedStep, 'lock');
    assert.ok(!server.lines().some((line) => /^docker-compose .* restart/.test(line)));
  });

  it('restarts and waits until healthy', async () => {
    const server = await serverAfterDeploys(V1);
    const outcome = await runCommand(fakeSettings({ command: 'restart' }), fakeDeps(server));
    assert.equal(outcome.status, 'succeeded', outcome.error);
    assert.deepEqual(
      outcome.steps.map((s) => s.name),
      ['connect', 'lock', 'restart', 'health'],
    );
    assert.equal(server.lockHeld, false);
  });
});

describe('status', () => {
  it('reports the last release that went live as running, and the checkout apart when it differs', async () => {
    const server = await serverAfterDeploys(V1, V2);
    server.head = V3; // a build of V3 in progress, or a run killed after checkout
    const deps = fakeDeps(server);
    const outcome = await runCommand(fakeSettings({ command: 'status' }), deps);
    assert.equal(outcome.status, 'succeeded', outcome.error);
    assert.equal(outcome.deployedRef, V2);
    assert.equal(outcome.checkedOut, V3);
    assert.match(deps.reporter.text(), /Running: 2{40}/);
    assert.match(deps.reporter.text(), /Checked out: 3{40} \(not what runs/);
  });
});
