import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ContainerState, judgeContainers, parseInspect, servicesSummary } from '../../core/health/containers.js';

const inspect = JSON.stringify([
  {
    Id: 'f00dfeedbeef0123456789',
    Name: '/shop_web_1',
    Image: 'sha256:1111',
    RestartCount: 0,
    State: { Status: 'running', ExitCode: 0, FinishedAt: '2026-11-27T03:18:59.091226988Z', Health: { Status: 'healthy' } },
    Config: {
      Image: 'shop_web',
      Labels: { 'com.docker.compose.service': 'web', 'com.docker.compose.project': 'shop' },
      Shell: null,
      Healthcheck: { Test: ['CMD-SHELL', 'wget -q -O /dev/null http://127.0.0.1:5000/health || exit 1'], Interval: 30e9, Timeout: 2e9 },
    },
    HostConfig: { RestartPolicy: { Name: 'unless-stopped' } },
  },
  {
    Id: 'abcabcabcabc99',
    Name: '/shop_db_1',
    Image: 'sha256:2222',
    State: { Status: 'running', ExitCode: 0, FinishedAt: '0001-01-01T00:00:00Z' },
    Config: { Image: 'postgres:15', Labels: { 'com.docker.compose.service': 'db', 'com.docker.compose.project': 'shop' } },
    HostConfig: { RestartPolicy: { Name: '' } },
  },
]);

const base: ContainerState = {
  id: 'x',
  name: 'x',
  service: 'web',
  project: 'shop',
  state: 'running',
  health: undefined,
  exitCode: 0,
  restartCount: 0,
  lastExitMs: undefined,
  restartPolicy: 'always',
  image: 'shop_web',
  imageId: 'sha256:1',
  healthcheck: undefined,
};

describe('parseInspect', () => {
  it('reads service, project, state, health and images, sorted by service', () => {
    const containers = parseInspect(inspect);
    assert.deepEqual(
      containers.map((c) => [c.service, c.project, c.state, c.health, c.image, c.imageId, c.restartPolicy, c.id]),
      [
        ['db', 'shop', 'running', undefined, 'postgres:15', 'sha256:2222', 'no', 'abcabcabcabc'],
        ['web', 'shop', 'running', 'healthy', 'shop_web', 'sha256:1111', 'unless-stopped', 'f00dfeedbeef'],
      ],
    );
    assert.deepEqual(containers[1]?.healthcheck, {
      argv: ['/bin/sh', '-c', 'wget -q -O /dev/null http://127.0.0.1:5000/health || exit 1'],
      timeoutMs: 2000,
    });
    assert.equal(containers[0]?.healthcheck, undefined);
    assert.deepEqual(
      containers.map((c) => c.lastExitMs),
      [undefined, Date.parse('2026-11-27T03:18:59.091Z')],
    );
    assert.deepEqual(servicesSummary(containers), {
      db: { state: 'running', health: null, image: 'postgres:15' },
      web: { state: 'running', health: 'healthy', image: 'shop_web' },
    });
  });
});

describe('judgeContainers', () => {
  it('waits while there are no containers, one is being created, or a healthcheck is starting', () => {
    assert.equal(judgeContainers([]).kind, 'waiting');
    assert.deepEqual(judgeContainers([{ ...base, health: 'starting' }]), { kind: 'waiting', reason: 'web is starting' });
    assert.deepEqual(judgeContainers([{ ...base, state: 'created' }]), { kind: 'waiting', reason: 'web is created' });
  });

  it("counts a container Docker still calls starting as ready once berth's own run of its healthcheck passed", () => {
    const starting = { ...base, id: 'c1', health: 'starting' };
    const others = { ...base, id: 'c2', service: 'db', health: 'starting' };
    assert.deepEqual(judgeContainers([starting], { passedOwnCheck: new Set(['c1']) }), { kind: 'healthy' });
    assert.deepEqual(judgeContainers([starting, others], { passedOwnCheck: new Set(['c1']) }), {
      kind: 'waiting',
      reason: 'db is starting',
    });
    // Docker's verdict still wins: unhealthy fails at once, whatever berth's own run saw.
    assert.equal(judgeContainers([{ ...starting, health: 'unhealthy' }], { passedOwnCheck: new Set(['c1']) }).kind, 'failed');
    // A passing check of a container that is not running proves nothing.
    assert.equal(judgeContainers([{ ...starting, state: 'created' }], { passedOwnCheck: new Set(['c1']) }).kind, 'waiting');
  });

  it('fails a container in a restart loop, even when a poll catches it running', () => {
    const atStart = new Map([['c1', 2]]);
    const loop = { ...base, id: 'c1', restartPolicy: 'always', restartCount: 2 };
    assert.deepEqual(judgeContainers([loop], { restartsAtStart: atStart }), { kind: 'healthy' });
    assert.deepEqual(judgeContainers([{ ...loop, restartCount: 3 }], { restartsAtStart: atStart }), {
      kind: 'failed',
      reason: 'web restarted once during the health check',
      services: ['web'],
    });
    assert.match(judgeContainers([{ ...loop, restartCount: 5 }], { restartsAtStart: atStart }).kind, /failed/);
    assert.deepEqual(judgeContainers([{ ...loop, state: 'restarting', exitCode: 1, restartCount: 4 }]), {
      kind: 'failed',
      reason: 'web is in a restart loop (exited with code 1, 4 restarts)',
      services: ['web'],
    });
    // A container first seen later in the wait is measured from then.
    assert.equal(judgeContainers([{ ...loop, id: 'new', restartCount: 7 }], { restartsAtStart: atStart }).kind, 'healthy');
  });

  it('fails a container Docker had restarted just before the wait, but not one whose last crash is long past', () => {
    const since = Date.parse('2026-11-27T10:00:00Z');
    const crashed = { ...base, id: 'c1', restartPolicy: 'always', restartCount: 3, lastExitMs: since + 5000 };
    assert.deepEqual(judgeContainers([crashed], { restartsAtStart: new Map([['c1', 3]]), recentExitSinceMs: since }), {
      kind: 'failed',
      reason: 'web is in a restart loop (3 restarts, the last just before the health check)',
      services: ['web'],
    });
    assert.equal(judgeContainers([{ ...crashed, lastExitMs: since - 1 }], { recentExitSinceMs: since }).kind, 'healthy');
    assert.equal(judgeContainers([{ ...crashed, restartCount: 0 }], { recentExitSinceMs: since }).kind, 'healthy');
  });

  it('says a container exited, with its code, even when its last healthcheck said unhealthy', () => {
    assert.deepEqual(judgeContainers([{ ...base, state: 'exited', exitCode: 1, health: 'unhealthy', restartPolicy: 'no' }]), {
      kind: 'failed',
      reason: 'web exited with code 1',
      services: ['web'],
    });
  });

  it('is healthy when all run and pass their healthchecks', () => {
    assert.deepEqual(
      judgeContainers([
        { ...base, health: 'healthy' },
        { ...base, service: 'db' },
      ]),
      { kind: 'healthy' },
    );
  });

  it('fails at once on unhealthy, exited or dead containers, naming them', () => {
    assert.deepEqual(
      judgeContainers([
        { ...base, health: 'unhealthy' },
        { ...base, service: 'db' },
      ]),
      {
        kind: 'failed',
        reason: 'web is unhealthy',
        services: ['web'],
      },
    );
    const exited = judgeContainers([{ ...base, service: 'worker', state: 'exited', exitCode: 137 }]);
    assert.deepEqual(exited, { kind: 'failed', reason: 'worker exited with code 137', services: ['worker'] });
  });

  it('accepts a finished one-shot job (exit 0, restart policy no)', () => {
    const migrate = { ...base, service: 'migrate', state: 'exited', exitCode: 0, restartPolicy: 'no' };
    assert.deepEqual(judgeContainers([migrate, { ...base, health: 'healthy' }]), { kind: 'healthy' });
    assert.equal(judgeContainers([{ ...migrate, restartPolicy: 'always' }]).kind, 'failed');
  });
});
