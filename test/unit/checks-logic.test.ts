import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerState } from '../../core/health/containers.js';
import { advance, type CheckState, INITIAL_STATE } from '../../server/checks/check-state.js';
import { composeProblems } from '../../server/checks/compose-check.js';
import { statusAccepted } from '../../server/checks/http-check.js';

const limits = { failures: 2, successes: 1 };
const at = (minute: number): string => `2026-11-24T10:${String(minute).padStart(2, '0')}:00.000Z`;

/** Feeds results in order; returns the final state and each transition as 'from>to@since'. */
function feed(results: boolean[], thresholds = limits, start: CheckState = INITIAL_STATE): { state: CheckState; changes: string[] } {
  let state = start;
  const changes: string[] = [];
  results.forEach((ok, minute) => {
    const next = advance(state, ok, at(minute), thresholds);
    state = next.state;
    if (next.transition) changes.push(`${next.transition.from}>${next.transition.to}@${next.transition.since.slice(11, 16)}`);
  });
  return { state, changes };
}

describe('check state machine', () => {
  it('goes up on the first pass, and down only after `failures` failures in a row, since the first of them', () => {
    assert.deepEqual(feed([true]).changes, ['unknown>up@10:00']);
    assert.deepEqual(feed([true, false]).changes, ['unknown>up@10:00']);
    assert.deepEqual(feed([true, false, false]).changes, ['unknown>up@10:00', 'up>down@10:01']);
    const { state } = feed([true, false, false, false]);
    assert.deepEqual(state, { health: 'down', since: at(1), failuresInRow: 3, successesInRow: 0, failingSince: at(1) });
  });

  it('lets one slow answer page nobody: a single failure between passes changes nothing', () => {
    assert.deepEqual(feed([true, false, true, false, true, false, true]).changes, ['unknown>up@10:00']);
  });

  it('comes back up after `successes` passes in a row, reporting when it went down', () => {
    const thresholds = { failures: 1, successes: 3 };
    assert.deepEqual(feed([false, true, true, false, true, true, true], thresholds).changes, ['unknown>down@10:00', 'down>up@10:00']);
    const { state } = feed([false, true, true, true], thresholds);
    assert.deepEqual(state, { health: 'up', since: at(3), failuresInRow: 0, successesInRow: 3, failingSince: null });
  });

  it('starts from a stored state: down stays down through failures, with no new transition', () => {
    const down: CheckState = { health: 'down', since: at(0), failuresInRow: 5, successesInRow: 0, failingSince: at(0) };
    assert.deepEqual(feed([false, false], limits, down).changes, []);
    assert.deepEqual(feed([true], limits, down).changes, ['down>up@10:00']);
  });
});

describe('http status', () => {
  it('accepts any 2xx by default, else exactly the listed statuses', () => {
    assert.ok(statusAccepted(204, undefined));
    assert.ok(!statusAccepted(301, undefined));
    assert.ok(statusAccepted(301, [200, 301]));
    assert.ok(!statusAccepted(200, [204]));
  });
});

describe('compose verdict', () => {
  const container = (service: string, extra: Partial<ContainerState> = {}): ContainerState => ({
    id: service,
    name: `app-${service}-1`,
    service,
    project: 'app',
    state: 'running',
    health: undefined,
    exitCode: 0,
    restartCount: 0,
    lastExitMs: undefined,
    restartPolicy: 'unless-stopped',
    image: 'img',
    imageId: 'sha256:1',
    healthcheck: undefined,
    ...extra,
  });

  it('names each service that is missing, stopped, unhealthy or still starting', () => {
    const containers = [
      container('web', { health: 'healthy' }),
      container('worker', { state: 'exited', exitCode: 137 }),
      container('cache', { health: 'unhealthy' }),
      container('api', { health: 'starting' }),
      container('migrate', { state: 'exited', exitCode: 0, restartPolicy: 'no' }),
    ];
    assert.deepEqual(composeProblems(['web', 'worker', 'cache', 'api', 'migrate', 'queue'], containers), [
      { service: 'worker', problem: 'is exited (code 137)' },
      { service: 'cache', problem: 'is unhealthy' },
      { service: 'api', problem: 'is starting' },
      { service: 'queue', problem: 'has no container' },
    ]);
    assert.deepEqual(composeProblems(['web'], [container('web')]), []);
  });
});
