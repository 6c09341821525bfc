/** How the action and the CLI stop a run: signals and the deadline, turned into the engine's RunContext. */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { CancelledError } from '../../core/errors.js';
import { RunControl, stopOnSignals } from '../../core/run-control.js';
import { graceContext, stopMessage, stopReason } from '../../core/run-context.js';

/** A process stand-in: signals are emitted by the test, exit is recorded. */
function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  return {
    emitter,
    exits,
    proc: {
      on: (event: string, fn: () => void) => emitter.on(event, fn),
      off: (event: string, fn: () => void) => emitter.off(event, fn),
      exit: (code?: number) => void exits.push(code ?? 0),
    } as unknown as Pick<NodeJS.Process, 'on' | 'off' | 'exit'>,
  };
}

describe('stopping a run', () => {
  it('SIGINT cancels the run; SIGTERM also ends the clean-up grace', () => {
    const control = new RunControl();
    const { emitter, proc, exits } = fakeProcess();
    const said: string[] = [];
    const remove = stopOnSignals(control, { log: (m) => void said.push(m), secondInterrupt: 'ignore', process: proc });
    emitter.emit('SIGINT');
    assert.equal(stopReason(control.context), 'cancelled');
    assert.equal(stopMessage(control.context), 'The run was cancelled (SIGINT).');
    assert.ok(control.context.signal.reason instanceof CancelledError);
    assert.equal(control.context.cleanupSignal?.aborted, false);
    emitter.emit('SIGINT');
    assert.deepEqual(exits, [], 'the action waits for the runner, never exits on a second SIGINT');
    emitter.emit('SIGTERM');
    assert.equal(control.context.cleanupSignal?.aborted, true);
    assert.equal(stopMessage(control.context), 'The run was cancelled (SIGINT).', 'the first stop is the reason');
    assert.match(said.join('\n'), /Cancelling: stopping the remote work[\s\S]*SIGTERM/);
    remove();
    assert.equal(emitter.listenerCount('SIGINT') + emitter.listenerCount('SIGTERM'), 0);
  });

  it('a second Ctrl-C exits the CLI at once', () => {
    const control = new RunControl();
    const { emitter, proc, exits } = fakeProcess();
    const said: string[] = [];
    stopOnSignals(control, { log: (m) => void said.push(m), secondInterrupt: 'exit', process: proc });
    emitter.emit('SIGINT');
    assert.deepEqual(exits, []);
    assert.match(said[0] ?? '', /Interrupt again to exit at once/);
    emitter.emit('SIGINT');
    assert.deepEqual(exits, [130]);
  });

  it('gives the clean-up its own grace, cut short by the clean-up signal', async () => {
    const control = new RunControl();
    control.cancel('SIGINT');
    const grace = graceContext(control.context, 60_000, () => 1000);
    assert.equal(grace.signal.aborted, false);
    assert.equal(grace.deadline, 61_000);
    control.endCleanup('SIGTERM');
    assert.equal(grace.signal.aborted, true);
    const short = graceContext({ signal: new AbortController().signal, deadline: undefined }, 5);
    await new Promise((resolve) => short.signal.addEventListener('abort', resolve));
    assert.match(String((short.signal.reason as Error).message), /grace of 0s .* ran out/);
  });
});
