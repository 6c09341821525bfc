import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { fileCommands } from '../../core/commands/files.js';
import { gitCommands, refCandidates } from '../../core/commands/git.js';
import { LocalExecutor } from '../../core/exec/local-executor.js';
import { shellJoin } from '../../core/exec/shell.js';
import { acquireLock, LockTimeoutError } from '../../core/release/deploy-lock.js';

describe('git command lines', () => {
  it('fetches without merging and checks out the exact commit detached', () => {
    assert.equal(
      shellJoin(gitCommands.fetch('/srv/app')),
      "git -C /srv/app fetch --quiet --force --tags --prune origin '+refs/heads/*:refs/remotes/origin/*'",
    );
    assert.equal(shellJoin(gitCommands.checkout('/srv/my app', 'abc123')), "git -C '/srv/my app' checkout --quiet --force --detach abc123");
    assert.ok(!gitCommands.fetch('/x').includes('pull'));
  });

  it('resolves a branch to the fetched tip, never the stale local branch, and takes full SHAs as they are', () => {
    assert.deepEqual(refCandidates('main'), ['refs/remotes/origin/main', 'refs/tags/main', 'refs/remotes/main']);
    assert.deepEqual(refCandidates('refs/heads/main'), ['refs/remotes/origin/main']);
    assert.deepEqual(refCandidates('refs/heads/feature/x'), ['refs/remotes/origin/feature/x']);
    assert.deepEqual(refCandidates('refs/tags/v1.2.0'), ['refs/tags/v1.2.0']);
    assert.deepEqual(refCandidates('v1.2.0'), ['refs/remotes/origin/v1.2.0', 'refs/tags/v1.2.0', 'refs/remotes/v1.2.0']);
    assert.deepEqual(refCandidates('origin/main')[2], 'refs/remotes/origin/main');
    assert.deepEqual(refCandidates('3f2c1ab'), ['refs/remotes/origin/3f2c1ab', 'refs/tags/3f2c1ab', 'refs/remotes/3f2c1ab', '3f2c1ab']);
    const sha = 'a'.repeat(40);
    assert.deepEqual(refCandidates(sha), [sha]);
  });
});

describe('state file commands', () => {
  it('pass values as positional parameters, never inside the script', () => {
    const hostile = '/tmp/$(touch pwned)/x';
    for (const argv of [fileCommands.read(hostile), fileCommands.writeAtomic(hostile), fileCommands.holdLock(hostile, '$(id)')]) {
      assert.ok(!argv.slice(0, -2).some((word) => word.includes('pwned') && word !== hostile));
      assert.ok(argv.includes(hostile));
    }
    assert.deepEqual(fileCommands.holdLock('/srv/app/.git/berth/lock', 'run 1').slice(0, 6), [
      'flock',
      '-x',
      '-n',
      '/srv/app/.git/berth/lock',
      'sh',
      '-c',
    ]);
  });

  it('write atomically on a real shell', () => {
    const dir = mkdtempSync(join(tmpdir(), "berth files $'"));
    try {
      const file = join(dir, 'state dir', 'releases.json');
      const run = (argv: string[], input = '') => spawnSync(argv[0] ?? '', argv.slice(1), { input, encoding: 'utf8' });
      assert.equal(run(fileCommands.read(file)).stdout, '');
      assert.equal(run(fileCommands.writeAtomic(file), '{"a":1}').status, 0);
      assert.equal(readFileSync(file, 'utf8'), '{"a":1}');
      assert.equal(run(fileCommands.read(file)).stdout, '{"a":1}');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a checkout's identity", () => {
  it('is one for one folder however it is reached, and differs between folders (real shell)', () => {
    const dir = mkdtempSync(join(tmpdir(), "berth identity $'"));
    try {
      mkdirSync(join(dir, 'a'));
      mkdirSync(join(dir, 'b'));
      const identity = (path: string) => {
        const argv = fileCommands.identity(path);
        const result = spawnSync(argv[0] ?? '', argv.slice(1), { encoding: 'utf8' });
        return result.status === 0 ? result.stdout : `exit ${result.status}`;
      };
      assert.match(identity(join(dir, 'a')), /^[0-9a-f-]{36}\n\d+:\d+\n$/);
      assert.equal(identity(join(dir, 'a')), identity(`${dir}/b/../a/`));
      assert.notEqual(identity(join(dir, 'a')), identity(join(dir, 'b')));
      assert.equal(identity(join(dir, 'none')), 'exit 1');
      assert.equal(fileCommands.identity('$(id)').at(-1), '$(id)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the deploy lock (real flock, on this machine)', () => {
  const local = new LocalExecutor();

  it('is exclusive, names its holder, and is free again once released', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-lock-'));
    try {
      const file = join(dir, 'state', 'lock');
      const release = await acquireLock(local, file, { timeoutMs: 0, owner: 'run 1 by alice' });
      const seen: string[] = [];
      await assert.rejects(
        acquireLock(local, file, { timeoutMs: 0, owner: 'run 2', onWait: (h) => void seen.push(h) }),
        (error: unknown) => {
          assert.ok(error instanceof LockTimeoutError);
          assert.match(error.message, /holds the lock .*\(run 1 by alice\)/);
          return true;
        },
      );
      assert.deepEqual(seen, ['run 1 by alice']);
      await release();
      await (
        await acquireLock(local, file, { timeoutMs: 0, owner: 'run 3' })
      )();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says at once when the owner file cannot be written, instead of waiting out the timeout as if held', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-lock-'));
    try {
      const file = join(dir, 'lock');
      mkdirSync(`${file}.owner`); // a directory where the owner file goes: writing it fails
      let waited = false;
      let now = 0;
      const clock = { clock: () => now, sleep: async (ms: number) => void (now += ms) };
      await assert.rejects(
        acquireLock(local, file, { timeoutMs: 60_000, owner: 'run 1', onWait: () => void (waited = true), ...clock }),
        (error: unknown) => {
          assert.ok(!(error instanceof LockTimeoutError));
          assert.match((error as Error).message, /Could not write the deploy lock's owner file .*lock\.owner .*Is a directory/);
          return true;
        },
      );
      assert.equal(waited, false);
      assert.equal(now, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is released when its holder dies, so it never goes stale', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-lock-'));
    try {
      const file = join(dir, 'lock');
      const controller = new AbortController();
      const holder = local.run(fileCommands.holdLock(file, 'a cancelled run'), { stdin: new PassThrough(), signal: controller.signal });
      await new Promise((resolve) => setTimeout(resolve, 200));
      await assert.rejects(acquireLock(local, file, { timeoutMs: 0, owner: 'next run' }), LockTimeoutError);
      controller.abort();
      await holder.catch(() => undefined);
      await (
        await acquireLock(local, file, { timeoutMs: 0, owner: 'next run' })
      )();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
