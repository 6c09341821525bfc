/**
 * The bundled action, run the way GitHub's runner runs it (test/helpers/action-runner.ts): what it does before
 * it reaches an app. Every command on a real app: commands-bundle.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testbed } from '../bed/testbed.js';
import { runAction, startAction } from '../helpers/action-runner.js';
import { bedInputs } from '../helpers/engine.js';

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
