import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type Healthcheck,
  healthcheckArgv,
  MAX_RUNS_IN_FLIGHT,
  OWN_CHECK_GAP_MS,
  OwnHealthchecks,
} from '../../core/health/own-healthcheck.js';

const check: Healthcheck = { argv: ['true'], timeoutMs: 2000 };
const starting = (id: string) => ({ id, state: 'running', health: 'starting', healthcheck: check });

/** Lets the check loops run until they wait on something the test controls. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('healthcheckArgv', () => {
  it("builds the command Docker runs for each form of a healthcheck's test", () => {
    assert.deepEqual(healthcheckArgv(['CMD', 'curl', '-f', 'http://localhost/'], undefined), ['curl', '-f', 'http://localhost/']);
    assert.deepEqual(healthcheckArgv(['CMD-SHELL', 'curl -f http://localhost/ || exit 1'], undefined), [
      '/bin/sh',
      '-c',
      'curl -f http://localhost/ || exit 1',
    ]);
    assert.deepEqual(healthcheckArgv(['CMD-SHELL', 'Test-Path C:\\ready'], ['powershell', '-Command']), [
      'powershell',
      '-Command',
      'Test-Path C:\\ready',
    ]);
    assert.equal(healthcheckArgv(['NONE'], undefined), undefined);
    assert.equal(healthcheckArgv([], undefined), undefined);
    assert.equal(healthcheckArgv(undefined, undefined), undefined);
    assert.equal(healthcheckArgv(['CMD'], undefined), undefined);
  });
});

describe('OwnHealthchecks', () => {
  it('runs each starting container’s check one at a time until it passes, and wakes the waiting poll', async () => {
    const runs: string[] = [];
    const answers = new Map([['web', [false, false, true]]]);
    const gaps: number[] = [];
    const checks = new OwnHealthchecks(
      async (id) => {
        runs.push(id);
        return answers.get(id)?.shift() ?? false;
      },
      async (ms) => void gaps.push(ms),
    );
    const woken = checks.nextPass();
    checks.observe([starting('web'), { ...starting('db'), healthcheck: undefined }, { ...starting('old'), health: 'healthy' }]);
    checks.observe([starting('web')]); // a second poll starts no second loop
    await woken;
    assert.deepEqual(runs, ['web', 'web', 'web']);
    assert.deepEqual(gaps, [OWN_CHECK_GAP_MS, OWN_CHECK_GAP_MS]);
    assert.deepEqual([...checks.passed], ['web']);
    checks.observe([starting('web')]);
    await settle();
    assert.equal(runs.length, 3, 'a container that passed is not checked again');
  });

  it('wakes the next sleep at once for a pass the latest poll has not seen', async () => {
    const checks = new OwnHealthchecks(async () => true);
    checks.observe([starting('web')]);
    await settle();
    let woken = false;
    void checks.nextPass().then(() => (woken = true));
    await settle();
    assert.equal(woken, true);
    checks.observe([starting('web')]);
    woken = false;
    void checks.nextPass().then(() => (woken = true));
    await settle();
    assert.equal(woken, false, 'once a poll has seen the pass, the next sleep is not cut short');
  });

  it('stops checking when Docker has decided, the container is gone, or the wait ends', async () => {
    let runs = 0;
    let release: () => void = () => {};
    const checks = new OwnHealthchecks(
      async () => {
        runs++;
        return false;
      },
      () => new Promise<void>((resolve) => (release = resolve)),
    );
    checks.observe([starting('web')]);
    await settle();
    assert.equal(runs, 1);
    checks.observe([{ ...starting('web'), health: 'healthy' }]);
    release();
    await settle();
    assert.equal(runs, 1, 'Docker said healthy: no further run');

    const aborted: boolean[] = [];
    const stopped = new OwnHealthchecks(async (_id, _check, signal) => {
      await settle();
      aborted.push(signal.aborted);
      return false;
    });
    stopped.observe([starting('web')]);
    stopped.stop();
    await settle();
    await settle();
    assert.deepEqual(aborted, [true], 'the run in flight is told to stop, and no other starts');
  });

  it('keeps at most a few runs in flight, so the SSH connection never runs out of sessions', async () => {
    let inFlight = 0;
    let most = 0;
    const finish: Array<() => void> = [];
    const checks = new OwnHealthchecks(async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise<void>((resolve) => finish.push(resolve));
      inFlight--;
      return true;
    });
    const ids = Array.from({ length: 10 }, (_, n) => `c${n}`);
    checks.observe(ids.map(starting));
    for (let round = 0; round < 10 && checks.passed.size < ids.length; round++) {
      await settle();
      for (const resolve of finish.splice(0)) resolve();
      await settle();
    }
    assert.equal(most, MAX_RUNS_IN_FLIGHT);
    assert.equal(checks.passed.size, ids.length, 'every container is checked in the end');
  });
});
