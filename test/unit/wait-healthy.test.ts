import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CheckVerdict, pollDelay, waitHealthy } from '../../core/health/wait-healthy.js';

function fakeTime() {
  let now = 0;
  return { clock: () => now, sleep: async (ms: number) => void (now += ms), elapsed: () => now };
}

describe('waitHealthy', () => {
  it('returns as soon as the check passes, with the time it took', async () => {
    const time = fakeTime();
    const verdicts: CheckVerdict[] = [
      { kind: 'waiting', reason: 'web is starting' },
      { kind: 'waiting', reason: 'web is starting' },
      { kind: 'healthy' },
    ];
    const seen: string[] = [];
    const result = await waitHealthy(async () => verdicts.shift() ?? { kind: 'healthy' }, {
      timeoutMs: 60_000,
      ...time,
      onWaiting: (r) => void seen.push(r),
    });
    assert.deepEqual(result, { healthy: true, elapsedMs: pollDelay(0) + pollDelay(1) });
    assert.deepEqual(seen, ['web is starting']);
  });

  it('stops at once on a final failure', async () => {
    const time = fakeTime();
    const result = await waitHealthy(async () => ({ kind: 'failed', reason: 'web is unhealthy', services: ['web'] }), {
      timeoutMs: 60_000,
      ...time,
    });
    assert.deepEqual(result, { healthy: false, elapsedMs: 0, reason: 'web is unhealthy', services: ['web'] });
  });

  it('gives up at the deadline with the last reason', async () => {
    const time = fakeTime();
    const result = await waitHealthy(async () => ({ kind: 'waiting', reason: 'http://localhost/health answered 503' }), {
      timeoutMs: 10_000,
      ...time,
    });
    assert.equal(result.healthy, false);
    assert.match(result.healthy ? '' : result.reason, /not healthy after 10s: .*503/);
    assert.equal(time.elapsed(), 10_000);
  });

  it('polls every 250 ms for 10 s, then every second', () => {
    assert.deepEqual([0, 1, 39, 40, 100].map(pollDelay), [250, 250, 250, 1000, 1000]);
  });
});
