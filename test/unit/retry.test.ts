import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelay, withRetry } from '../../core/retry.js';

describe('withRetry', () => {
  it('retries retryable errors with doubling delays, capped', async () => {
    const slept: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 4) throw new Error('flaky');
        return 'ok';
      },
      { retries: 5, initialDelayMs: 1000, maxDelayMs: 3000, isRetryable: () => true, sleep: async (ms) => void slept.push(ms) },
    );
    assert.equal(result, 'ok');
    assert.deepEqual(slept, [1000, 2000, 3000]);
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw new Error('auth');
        },
        { retries: 3, initialDelayMs: 1, maxDelayMs: 1, isRetryable: () => false, sleep: async () => {} },
      ),
      /auth/,
    );
    assert.equal(calls, 1);
  });

  it('gives up after the last retry with the last error', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw new Error(`try ${calls}`);
        },
        { retries: 2, initialDelayMs: 1, maxDelayMs: 1, isRetryable: () => true, sleep: async () => {} },
      ),
      /try 3/,
    );
    assert.equal(backoffDelay(10, 1000, 8000), 8000);
  });
});
