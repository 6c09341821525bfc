import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tiedAndKilled, tiedToRun } from '../../core/commands/tied.js';
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

  it('killed: exits as the command does while its input stays open', async () => {
    const alive = new PassThrough();
    const result = await local.run(tiedAndKilled(['sh', '-c', 'echo out; exit 3']), { stdin: alive });
    alive.end();
    assert.deepEqual([result.code, result.stdout], [3, 'out\n']);
    assert.equal(tiedAndKilled(['true'])[3], 'berth-tied');
  });

  it('killed: once its input closes, the command and what it started die with no chance to clean up (no TERM handler runs)', async () => {
    const cleaned = join(mkdtempSync(join(tmpdir(), 'berth-tied-')), 'cleaned');
    const alive = new PassThrough();
    // As Compose v1's `up` does: on TERM or INT it would act (stop the containers) before it ends.
    const script = `trap 'echo cleaned > "$1"; exit 0' TERM INT; sleep 30 & wait`;
    const running = local.run(tiedAndKilled(['sh', '-c', script, 'sh', cleaned]), { stdin: alive });
    setTimeout(() => alive.end(), 200);
    const result = await running;
    assert.notEqual(result.code, 0, 'ended long before its 30 s, not by its own exit');
    assert.equal(existsSync(cleaned), false, 'its TERM handler never ran');
  });
});
