import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { tiedToRun } from '../../core/commands/tied.js';
import { LocalExecutor } from '../../core/exec/local-executor.js';

describe('a tied command', () => {
  const local = new LocalExecutor();

  it('is the command as positional parameters of one constant script', () => {
    const [sh, flag, script, name, ...argv] = tiedToRun(['docker-compose', 'up', '$(id)']);
    assert.deepEqual([sh, flag, name, argv], ['sh', '-c', 'berth-tied', ['docker-compose', 'up', '$(id)']]);
    assert.equal(tiedToRun(['true'])[2], script);
  });

  it('runs as the command does while its input stays open: output, exit code', async () => {
    const alive = new PassThrough();
    const result = await local.run(tiedToRun(['sh', '-c', 'echo out; cat; exit 3']), { stdin: alive });
    alive.end();
    assert.deepEqual([result.code, result.stdout], [3, 'out\n'], 'the command reads no input of the run');
  });

  it('is stopped with what it started once its input closes (the run is gone)', async () => {
    const alive = new PassThrough();
    const running = local.run(tiedToRun(['sh', '-c', 'sleep 30 & wait']), { stdin: alive });
    setTimeout(() => alive.end(), 100);
    const result = await running;
    assert.deepEqual([result.code, result.signal], [null, 'SIGTERM'], 'ended by TERM, long before its 30 s');
  });
});
