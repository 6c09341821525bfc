import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CancelledError, CommandFailedError } from '../../core/errors.js';
import { runChecked } from '../../core/exec/executor.js';
import { LocalExecutor } from '../../core/exec/local-executor.js';

describe('LocalExecutor', () => {
  const local = new LocalExecutor();

  it('runs an argument list with no shell in between', async () => {
    const result = await runChecked(local, ['printf', '%s', '$(id) ; `x`'], { env: { X: '1' } });
    assert.equal(result.stdout, '$(id) ; `x`');
  });

  it('returns codes, signals and separate stderr', async () => {
    const result = await local.run(['sh', '-c', 'echo o; echo e >&2; exit 4']);
    assert.deepEqual([result.code, result.stdout, result.stderr], [4, 'o\n', 'e\n']);
    const killed = await local.run(['sh', '-c', 'kill -TERM $$']);
    assert.deepEqual([killed.code, killed.signal], [null, 'SIGTERM']);
    await assert.rejects(runChecked(local, ['false']), CommandFailedError);
  });

  it('cancels a running command', async () => {
    const controller = new AbortController();
    const running = local.run(['sleep', '30'], { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(running, CancelledError);
  });
});
