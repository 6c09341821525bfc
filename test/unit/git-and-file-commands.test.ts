import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileCommands } from '../../core/commands/files.js';
import { gitCommands, refCandidates } from '../../core/commands/git.js';
import { shellJoin } from '../../core/exec/shell.js';

describe('git command lines', () => {
  it('fetches without merging and checks out the exact commit detached', () => {
    assert.equal(
      shellJoin(gitCommands.fetch('/srv/app')),
      "git -C /srv/app fetch --quiet --force --tags --prune origin '+refs/heads/*:refs/remotes/origin/*'",
    );
    assert.equal(shellJoin(gitCommands.checkout('/srv/my app', 'abc123')), "git -C '/srv/my app' checkout --quiet --force --detach abc123");
    assert.ok(!gitCommands.fetch('/x').includes('pull'));
  });

  it('prefers the fetched branch over a stale local one, and takes full SHAs as they are', () => {
    assert.deepEqual(refCandidates('main'), ['refs/remotes/origin/main', 'main']);
    assert.deepEqual(refCandidates('v1.2.0'), ['refs/remotes/origin/v1.2.0', 'v1.2.0']);
    const sha = 'a'.repeat(40);
    assert.deepEqual(refCandidates(sha), [sha]);
  });
});

describe('state file commands', () => {
  it('pass values as positional parameters, never inside the script', () => {
    const hostile = '/tmp/$(touch pwned)/x';
    for (const argv of [fileCommands.read(hostile), fileCommands.writeAtomic(hostile), fileCommands.lock(hostile)]) {
      assert.equal(argv[0], 'sh');
      assert.ok(!(argv[2] ?? '').includes(hostile));
      assert.equal(argv.at(-1), hostile);
    }
  });

  it('write atomically and lock exclusively on a real shell', () => {
    const dir = mkdtempSync(join(tmpdir(), "berth files $'"));
    try {
      const file = join(dir, 'state dir', 'releases.json');
      const run = (argv: string[], input = '') => spawnSync(argv[0] ?? '', argv.slice(1), { input, encoding: 'utf8' });
      assert.equal(run(fileCommands.read(file)).stdout, '');
      assert.equal(run(fileCommands.writeAtomic(file), '{"a":1}').status, 0);
      assert.equal(readFileSync(file, 'utf8'), '{"a":1}');
      assert.equal(run(fileCommands.read(file)).stdout, '{"a":1}');
      const lock = join(dir, 'state dir', 'lock');
      assert.equal(run(fileCommands.lock(lock), 'run 1').status, 0);
      assert.notEqual(run(fileCommands.lock(lock), 'run 2').status, 0);
      assert.equal(readFileSync(join(lock, 'owner'), 'utf8'), 'run 1');
      assert.equal(run(fileCommands.unlock(lock)).status, 0);
      assert.equal(run(fileCommands.lock(lock), 'run 3').status, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
