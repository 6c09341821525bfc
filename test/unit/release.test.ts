import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  InvalidTransitionError,
  lastGood,
  markInterrupted,
  newRelease,
  type Release,
  transition,
  whatRuns,
} from '../../core/release/release.js';

const at = new Date('2026-11-24T10:00:00Z');

describe('release lifecycle', () => {
  it('goes pending → in_progress → succeeded, stamping the end', () => {
    const r = newRelease('main', 'aaa', at);
    assert.equal(r.state, 'pending');
    assert.match(r.id, /^20261124T100000Z-/);
    const running = transition(r, 'in_progress', {}, at);
    assert.equal(running.finishedAt, undefined);
    const done = transition(running, 'succeeded', { commit: 'bbb' }, new Date('2026-11-24T10:01:00Z'));
    assert.equal(done.state, 'succeeded');
    assert.equal(done.finishedAt, '2026-11-24T10:01:00.000Z');
  });

  it('allows failed → rolled_back, succeeded → rolled_back (a host a run on several takes back), and nothing else out of a final state', () => {
    const failed = transition(transition(newRelease('x', undefined), 'in_progress'), 'failed', { failedStep: 'health' });
    assert.equal(transition(failed, 'rolled_back').state, 'rolled_back');
    const ok = transition(transition(newRelease('x', undefined), 'in_progress'), 'succeeded');
    assert.equal(transition(ok, 'rolled_back').state, 'rolled_back');
    assert.throws(() => transition(ok, 'failed'), InvalidTransitionError);
    assert.throws(() => transition(transition(ok, 'rolled_back'), 'succeeded'), InvalidTransitionError);
    assert.throws(() => transition(newRelease('x', undefined), 'succeeded'), /cannot go from pending to succeeded/);
  });

  it('ends a run as cancelled or superseded, final states like the others', () => {
    const running = () => transition(newRelease('x', undefined), 'in_progress');
    const cancelled = transition(running(), 'cancelled', { failedStep: 'build' });
    assert.equal(cancelled.state, 'cancelled');
    assert.ok(cancelled.finishedAt);
    assert.equal(transition(running(), 'superseded').state, 'superseded');
    assert.throws(() => transition(cancelled, 'rolled_back'), InvalidTransitionError);
  });

  it('marks what a dead run left in progress as failed, interrupted, and nothing else', () => {
    const make = (state: Release['state']): Release => ({ ...newRelease('main', undefined), state });
    const marked = markInterrupted([make('succeeded'), make('in_progress'), make('failed'), make('cancelled')], 'run 9', at);
    assert.equal(marked.length, 1);
    assert.equal(marked[0]?.state, 'failed');
    assert.match(marked[0]?.error ?? '', /^interrupted: .* found by run 9\.$/);
    assert.equal(marked[0]?.finishedAt, at.toISOString());
  });

  it('finds the newest good release other than a commit', () => {
    const make = (commit: string, state: Release['state']): Release => ({ ...newRelease(commit, undefined), commit, state });
    const history = [make('a', 'succeeded'), make('b', 'succeeded'), make('c', 'rolled_back')];
    assert.equal(lastGood(history)?.commit, 'b');
    assert.equal(lastGood(history, 'b')?.commit, 'a');
    assert.equal(lastGood([make('c', 'failed')]), undefined);
  });

  it('reads what runs from the history: the last release that went live, not a later one in progress or failed', () => {
    const make = (commit: string, state: Release['state'], previous?: string): Release => ({
      ...newRelease(commit, previous),
      commit,
      state,
    });
    const history = [make('a', 'succeeded', 'z'), make('b', 'rolled_back', 'a'), make('c', 'in_progress', 'a')];
    assert.deepEqual(whatRuns(history, 'c'), { release: history[0], commit: 'a' });
    // Before any release went live, what the first release found running; with no history, the checkout.
    assert.deepEqual(whatRuns([make('b', 'failed', 'z')], 'b'), { release: undefined, commit: 'z' });
    assert.deepEqual(whatRuns([], 'z'), { release: undefined, commit: 'z' });
    // A deploy that failed its health check and was left running (no rollback tried) is what runs.
    const good = make('a', 'succeeded', 'z');
    const left: Release = { ...make('d', 'failed', 'a'), failedStep: 'health' };
    assert.deepEqual(whatRuns([good, left], 'd'), { release: left, commit: 'd' });
    const rollbackTried: Release = { ...left, steps: [{ name: 'rollback', result: 'failed', durationMs: 1 }] };
    assert.deepEqual(whatRuns([good, rollbackTried], 'd'), { release: good, commit: 'a' });
  });
});
