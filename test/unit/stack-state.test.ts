import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STATE_SECTIONS } from '../../core/commands/swarm.js';
import { judgeStack, MAX_TASK_FAILURES, stackSummary } from '../../core/swarm/convergence.js';
import { parseStackState } from '../../core/swarm/stack-state.js';

const DEPLOYED = '2026-11-27T03:19:16.000000000Z';
const LATER = (seconds: number): string => new Date(Date.parse(DEPLOYED) + seconds * 1000).toISOString();

interface ServiceOptions {
  id?: string;
  name?: string;
  replicas?: number | 'global';
  image?: string;
  update?: { State: string; Message?: string; StartedAt?: string } | null;
  healthcheck?: string[];
}

/** A service as `docker service inspect --format '{{json .}}'` prints it (the fields berth reads). */
function service(options: ServiceOptions = {}): string {
  return JSON.stringify({
    ID: options.id ?? 'svc1',
    UpdatedAt: DEPLOYED,
    Spec: {
      Name: options.name ?? 'shop_web',
      Labels: { 'com.docker.stack.image': 'shop-web:v2', 'com.docker.stack.namespace': 'shop' },
      Mode: options.replicas === 'global' ? { Global: {} } : { Replicated: { Replicas: options.replicas ?? 1 } },
      TaskTemplate: {
        ContainerSpec: {
          Image: options.image ?? 'shop-web:v2@sha256:0123',
          ...(options.healthcheck ? { Healthcheck: { Test: options.healthcheck, Interval: 1_000_000_000 } } : {}),
        },
      },
    },
    UpdateStatus: options.update ?? null,
  });
}

interface TaskOptions {
  id: string;
  service?: string;
  state: string;
  desired?: string;
  err?: string;
  at?: string;
  image?: string;
  exitCode?: number;
}

/** A task as `docker inspect --type task --format '{{json .}}'` prints it. */
function task(options: TaskOptions): string {
  return JSON.stringify({
    ID: options.id,
    ServiceID: options.service ?? 'svc1',
    Slot: 1,
    DesiredState: options.desired ?? 'running',
    Status: {
      Timestamp: options.at ?? LATER(1),
      State: options.state,
      Message: options.state,
      ...(options.err ? { Err: options.err } : {}),
      ContainerStatus: { ContainerID: 'c', PID: 0, ExitCode: options.exitCode ?? 0 },
    },
    Spec: { ContainerSpec: { Image: options.image ?? 'shop-web:v2' } },
  });
}

function output(services: string[], tasks: string[], upToDate: string[]): string {
  return [STATE_SECTIONS.services, ...services, STATE_SECTIONS.tasks, ...tasks, STATE_SECTIONS.upToDate, ...upToDate, ''].join('\n');
}

const judge = (text: string, afterUpdate = true) => judgeStack(parseStackState(text, 'shop'), { afterUpdate });

describe('the stack state', () => {
  it('parses services and tasks, newest task first, with the service name inside the stack', () => {
    const state = parseStackState(
      output(
        [service({ healthcheck: ['CMD-SHELL', 'true'], update: { State: 'updating', StartedAt: DEPLOYED } })],
        [
          task({ id: 'old', state: 'shutdown', desired: 'shutdown', at: LATER(0), image: 'shop-web:v1' }),
          task({ id: 'new', state: 'starting' }),
        ],
        ['new'],
      ),
      'shop',
    );
    assert.equal(state.services[0]?.service, 'web');
    assert.equal(state.services[0]?.image, 'shop-web:v2');
    assert.equal(state.services[0]?.replicas, 1);
    assert.equal(state.services[0]?.hasHealthcheck, true);
    assert.equal(state.services[0]?.updateState, 'updating');
    assert.deepEqual(
      state.tasks.map((t) => [t.id, t.upToDate]),
      [
        ['new', true],
        ['old', false],
      ],
    );
  });

  it('reads an empty output as a stack with no services', () => {
    assert.deepEqual(parseStackState('', 'shop'), { services: [], tasks: [] });
    assert.deepEqual(judge(''), { kind: 'waiting', reason: 'the stack has no services yet' });
  });

  it('is healthy when a new service runs its desired tasks', () => {
    assert.deepEqual(
      judge(output([service({ replicas: 2 })], [task({ id: 'a', state: 'running' }), task({ id: 'b', state: 'running' })], ['a', 'b'])),
      {
        kind: 'healthy',
      },
    );
  });

  it('is healthy once the update completed and only new tasks run', () => {
    const text = output(
      [service({ update: { State: 'completed', StartedAt: DEPLOYED } })],
      [task({ id: 'new', state: 'running' }), task({ id: 'old', state: 'shutdown', desired: 'shutdown', image: 'shop-web:v1' })],
      ['new'],
    );
    assert.deepEqual(judge(text), { kind: 'healthy' });
    assert.deepEqual(stackSummary(parseStackState(text, 'shop')), {
      web: { state: 'running', health: null, image: 'shop-web:v2', replicas: '1/1', updateState: 'completed' },
    });
  });

  it('waits while the update runs, a task starts (healthcheck pending), or an old task still runs', () => {
    const updating = judge(
      output([service({ update: { State: 'updating', StartedAt: DEPLOYED } })], [task({ id: 'new', state: 'running' })], ['new']),
    );
    assert.deepEqual(updating, { kind: 'waiting', reason: 'web is updating' });
    const starting = judge(output([service()], [task({ id: 'new', state: 'starting' })], ['new']));
    assert.deepEqual(starting, { kind: 'waiting', reason: 'web has 0/1 tasks running, newest task starting' });
    // Right after stack deploy, before Swarm's updater begins: the update state is reset, the old task still up.
    const notBegun = judge(output([service()], [task({ id: 'old', state: 'running', image: 'shop-web:v1' })], []));
    assert.deepEqual(notBegun, { kind: 'waiting', reason: 'web has 0/1 tasks running' });
    const overlap = judge(
      output([service()], [task({ id: 'new', state: 'running' }), task({ id: 'old', state: 'running', image: 'shop-web:v1' })], ['new']),
    );
    assert.deepEqual(overlap, { kind: 'waiting', reason: 'web still runs a task of its old spec' });
  });

  it('fails an update Swarm rolled back, naming the service and the task error', () => {
    const text = output(
      [service({ image: 'shop-web:v1', update: { State: 'rollback_completed', Message: 'rollback completed', StartedAt: DEPLOYED } })],
      [
        task({ id: 'back', state: 'ready', image: 'shop-web:v1', at: LATER(5) }),
        task({
          id: 'new',
          state: 'failed',
          desired: 'shutdown',
          err: 'task: non-zero exit (137): dockerexec: unhealthy container',
          at: LATER(4),
        }),
        task({ id: 'old', state: 'shutdown', desired: 'shutdown', image: 'shop-web:v1', at: LATER(0) }),
      ],
      ['back', 'old'],
    );
    assert.deepEqual(judge(text), {
      kind: 'failed',
      reason: 'web: Swarm rolled the update back: task: non-zero exit (137): dockerexec: unhealthy container',
      services: ['web'],
    });
    // status asks only whether it runs now: the rolled-back version starting is not a failure.
    assert.equal(judge(text, false).kind, 'waiting');
  });

  it('fails a paused update with its message when no task error is known', () => {
    const text = output(
      [
        service({
          update: { State: 'paused', Message: 'update paused due to failure or early termination of task x', StartedAt: DEPLOYED },
        }),
      ],
      [task({ id: 'new', state: 'running' })],
      ['new'],
    );
    assert.deepEqual(judge(text), {
      kind: 'failed',
      reason: 'web: Swarm paused the update: update paused due to failure or early termination of task x',
      services: ['web'],
    });
  });

  it(`fails tasks that failed ${MAX_TASK_FAILURES} times since the deploy, but not failures from before it`, () => {
    const failures = [1, 2, 3].map((n) => task({ id: `f${n}`, state: 'failed', desired: 'shutdown', exitCode: 1, at: LATER(n) }));
    const text = output([service()], [task({ id: 'f4', state: 'starting', at: LATER(4) }), ...failures], ['f1', 'f2', 'f3', 'f4']);
    assert.deepEqual(judge(text), { kind: 'failed', reason: 'web: tasks keep failing (3 times): exited with code 1', services: ['web'] });
    const before = [1, 2, 3].map((n) => task({ id: `f${n}`, state: 'failed', desired: 'shutdown', exitCode: 1, at: LATER(-n) }));
    assert.deepEqual(judge(output([service()], [task({ id: 'ok', state: 'running' }), ...before], ['ok', 'f1', 'f2', 'f3'])), {
      kind: 'healthy',
    });
  });

  it('waits for a global service on every node it has tasks for, and names each failing service', () => {
    const text = output(
      [
        service({ id: 'g', name: 'shop_agent', replicas: 'global' }),
        service({ id: 'w', name: 'shop_web', update: { State: 'rollback_started', StartedAt: DEPLOYED } }),
      ],
      [
        task({ id: 'g1', service: 'g', state: 'running' }),
        task({ id: 'g2', service: 'g', state: 'preparing' }),
        task({ id: 'w1', service: 'w', state: 'rejected', desired: 'shutdown', err: 'No such image: shop-web:v2' }),
      ],
      ['g1', 'g2'],
    );
    assert.deepEqual(judge(text), {
      kind: 'failed',
      reason: 'web: Swarm rolled the update back: No such image: shop-web:v2',
      services: ['web'],
    });
    assert.deepEqual(judge(text, false), {
      kind: 'waiting',
      reason: 'agent has 1/2 tasks running, newest task preparing; web has 0/1 tasks running',
    });
  });
});
