import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCli } from '../../cli/cli-inputs.js';
import type { HostOutcome, HostStatus } from '../../core/engine/outcome.js';
import { inBatches } from '../../core/fleet/batches.js';
import { Steps } from '../../core/engine/steps.js';
import { fleetOutcome, fleetStatus } from '../../core/fleet/fleet-outcome.js';
import { openContext } from '../../core/run-context.js';
import { HostLog } from '../../core/fleet/host-log.js';
import { recordingReporter } from '../helpers/engine.js';

const row = (status: HostStatus): HostOutcome => ({
  host: 'h',
  status,
  release: undefined,
  commit: undefined,
  failedStep: undefined,
  error: undefined,
  durationMs: 0,
});

describe('a run on several hosts', () => {
  it('runs batches of `size` in order and starts no batch after one that says stop', async () => {
    const started: number[][] = [];
    const results = await inBatches(
      [1, 2, 3, 4, 5],
      2,
      async (batch) => {
        started.push([...batch]);
        return batch.map((n) => n * 10);
      },
      (batch) => !batch.includes(40),
    );
    assert.deepEqual(started, [
      [1, 2],
      [3, 4],
    ]);
    assert.deepEqual(results, [10, 20, 30, 40]);
  });

  it('succeeds when every host did, is rolled back when every host it changed went back, else fails', () => {
    const of = (...statuses: HostStatus[]) => fleetStatus(statuses.map(row));
    assert.equal(of('succeeded', 'succeeded'), 'succeeded');
    assert.equal(of('rolled_back', 'rolled_back', 'cancelled'), 'rolled_back');
    assert.equal(of('succeeded', 'failed'), 'failed', 'rollback-on-failure off: the fleet runs two versions');
    assert.equal(of('rolled_back', 'failed'), 'failed', 'a host that could not go back');
    assert.equal(of('failed', 'cancelled'), 'failed', 'a host that failed while prepared: nothing was switched');
    assert.equal(of('cancelled', 'cancelled'), 'failed');
  });

  it('names the host that failed first, not one whose take-back failed after it', () => {
    const rows: HostOutcome[] = [
      { ...row('failed'), host: 'web1', failedStep: 'rollback', error: 'The rollback to aaa failed too' },
      { ...row('failed'), host: 'web2', failedStep: 'health', error: 'web is unhealthy' },
      row('cancelled'),
    ];
    const outcome = fleetOutcome(rows, new Steps(recordingReporter(), Date.now, openContext()), {});
    assert.deepEqual([outcome.status, outcome.failedStep, outcome.error], ['failed', 'health', 'web2: web is unhealthy']);
  });

  it("shows a host working alone as it goes: its group, each line prefixed, each step's start and end", async () => {
    const base = recordingReporter();
    let now = 0;
    const log = new HostLog('web1:2222', base, () => now);
    await log.live('switch', async () => {
      await log.reporter.group('Start the new version', async () => {
        log.reporter.output(Buffer.from('Creating web_1 ... '));
        log.reporter.output(Buffer.from('done\nsecond line\r\nunfinished'));
        now += 1500;
      });
      log.reporter.logger.warn('two\nlines');
    });
    assert.deepEqual(base.groups, ['web1:2222: switch']);
    assert.deepEqual(base.lines, [
      '[web1:2222] ▸ Start the new version',
      '[web1:2222] ✓ Start the new version (1.5s)',
      'warning: [web1:2222] two\n[web1:2222] lines',
    ]);
    assert.equal(
      base
        .text()
        .split('\n')
        .slice(base.lines.length + 1)
        .join('\n'),
      '[web1:2222] Creating web_1 ... done\n[web1:2222] second line\n[web1:2222] unfinished\n',
    );
  });

  it('holds the lines of hosts working at once, showing only step marks live, then each host as one group', async () => {
    const base = recordingReporter();
    const [a, b] = [new HostLog('a', base, () => 0), new HostLog('b', base, () => 0)];
    a.hold();
    b.hold();
    await b.reporter.group('Build', async () => b.reporter.logger.info('b builds'));
    a.reporter.logger.info('a waits');
    assert.deepEqual(base.lines, ['[b] ▸ Build', '[b] ✓ Build (0.0s)'], 'only the marks so far');
    assert.deepEqual(base.groups, []);
    await a.show('prepare');
    await b.show('prepare');
    assert.deepEqual(base.groups, ['a: prepare', 'b: prepare']);
    assert.deepEqual(base.lines.slice(2), ['[a] a waits', '[b] ▸ Build', '[b] b builds', '[b] ✓ Build (0.0s)']);
  });

  it('takes --host once per host on the command line', () => {
    const cli = parseCli(['status', '--host', 'web1', '--host', 'web2:2222 path=/srv/b', '--parallel', '2'], {});
    assert.equal(cli.read('host'), 'web1\nweb2:2222 path=/srv/b');
    assert.equal(cli.read('parallel'), '2');
    assert.equal(parseCli(['status'], { BERTH_HOST: 'web1, web2' }).read('host'), 'web1, web2');
  });

  it('refuses an empty --host among several (an unset variable), which the list would otherwise drop', () => {
    for (const argv of [
      ['--host', 'web1', '--host', ''],
      ['--host', ' ', '--host', 'web2'],
    ]) {
      assert.throws(() => parseCli(['deploy', ...argv], {}), /Invalid input 'host': --host number \d of 2 is empty/);
    }
  });
});
