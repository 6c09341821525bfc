/** The deploy lock's ticket queue, with the real script, sh and flock on this machine. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { lockCommands } from '../../core/commands/lock.js';
import { CancelledError } from '../../core/errors.js';
import { LocalExecutor } from '../../core/exec/local-executor.js';
import { acquireLock, LockTimeoutError, queueDirOf } from '../../core/release/deploy-lock.js';

const local = new LocalExecutor();
const HOUR = 3_600_000;

/** Resolves once `check` holds, polling every 20 ms; fails after 10 s. */
async function until(what: string, check: () => boolean): Promise<void> {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > 10_000) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the deploy lock queue (real sh and flock, on this machine)', () => {
  let dir: string;
  let file: string;
  const tickets = (): string[] => (existsSync(queueDirOf(file)) ? readdirSync(queueDirOf(file)).filter((n) => /^\d+$/.test(n)) : []);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'berth-queue-'));
    file = join(dir, 'state', 'lock');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the lock to waiting runs in the order they asked, and leaves no tickets behind', async () => {
    const first = await acquireLock(local, file, { timeoutMs: HOUR, owner: 'run 1' });
    const order: string[] = [];
    const waiters: Array<Promise<void>> = [];
    // Each asks once the one before is queued, so arrival order is known; they then race for the lock.
    for (const name of ['run 2', 'run 3', 'run 4']) {
      const queued = tickets().length + 1;
      waiters.push(
        acquireLock(local, file, { timeoutMs: HOUR, owner: name }).then(async (release) => {
          order.push(name);
          assert.equal(readFileSync(`${file}.owner`, 'utf8'), `${name}\n`);
          await new Promise((resolve) => setTimeout(resolve, 50));
          await release();
        }),
      );
      await until(`${name} holds a ticket`, () => tickets().length === queued);
    }
    await first();
    await Promise.all(waiters);
    assert.deepEqual(order, ['run 2', 'run 3', 'run 4']);
    assert.deepEqual(tickets(), []);
  });

  it("drops a waiter's ticket when its run goes away, and serves the next in turn", async () => {
    const first = await acquireLock(local, file, { timeoutMs: HOUR, owner: 'run 1' });
    const gone = new AbortController();
    const leaving = acquireLock(local, file, { timeoutMs: HOUR, owner: 'run 2', signal: gone.signal });
    await until('run 2 holds a ticket', () => tickets().length === 2);
    // A waiter killed outright (no clean-up at all) leaves its ticket file behind, unlocked.
    const argv = lockCommands.queue(file, 'run 3', queueDirOf(file));
    const dead = spawn(argv[0] ?? 'sh', argv.slice(1), { stdio: ['pipe', 'ignore', 'ignore'] });
    await until('run 3 holds a ticket', () => tickets().length === 3);
    dead.kill('SIGKILL');
    dead.stdin.end();
    const next = acquireLock(local, file, { timeoutMs: HOUR, owner: 'run 4' });
    await until('run 4 holds a ticket', () => tickets().length === 4);
    gone.abort();
    await assert.rejects(leaving, CancelledError);
    await first();
    await (
      await next
    )();
    assert.deepEqual(tickets(), []);
  });

  it('times out naming the holder, counting only the time spent waiting', async () => {
    const first = await acquireLock(local, file, { timeoutMs: 0, owner: 'run 1 by alice' });
    const seen: string[] = [];
    await assert.rejects(acquireLock(local, file, { timeoutMs: 50, owner: 'run 2', onWait: (h) => void seen.push(h) }), (error) => {
      assert.ok(error instanceof LockTimeoutError);
      assert.match(error.message, /holds the lock on this machine \(run 1 by alice\) and did not finish within 0s/);
      return true;
    });
    assert.deepEqual(seen, ['run 1 by alice']);
    assert.equal(tickets().length, 1, "the timed-out run's ticket is gone");
    await first();
  });

  it('names the queue when its files cannot be made', async () => {
    await assert.rejects(
      acquireLock(local, '/proc/berth-no-such/lock', { timeoutMs: HOUR, owner: 'run 1' }),
      /Could not take a place in the deploy lock's queue \/proc\/berth-no-such\/queue/,
    );
  });

  it("a waiter left behind by its script's end never holds the script's output open (the channel would never close)", async () => {
    const first = await acquireLock(local, file, { timeoutMs: HOUR, owner: 'run 1' });
    // The worst case of a TERM landing between the wait's fork and `w=$!`: the script ends and cannot stop its waiter.
    const [sh = 'sh', ...args] = lockCommands.queue(file, 'run 2', queueDirOf(file));
    const script = spawn(sh, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    script.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const closed = new Promise<void>((resolve) => script.once('close', () => resolve()));
    try {
      await until('run 2 waits', () => output.includes('waiting'));
      script.kill('SIGKILL');
      const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('still open'), 5_000).unref());
      assert.equal(await Promise.race([closed.then(() => 'closed'), timeout]), 'closed', "a waiter kept the script's output open");
    } finally {
      await first();
    }
  });
});
