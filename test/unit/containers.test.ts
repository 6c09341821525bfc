import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ContainerState, judgeContainers, parseInspect, servicesSummary } from '../../core/health/containers.js';

const inspect = JSON.stringify([
  {
    Id: 'f00dfeedbeef0123456789',
    Name: '/shop_web_1',
    Image: 'sha256:1111',
    RestartCount: 0,
    State: { Status: 'running', ExitCode: 0, Health: { Status: 'healthy' } },
    Config: { Image: 'shop_web', Labels: { 'com.docker.compose.service': 'web', 'com.docker.compose.project': 'shop' } },
    HostConfig: { RestartPolicy: { Name: 'unless-stopped' } },
  },
  {
    Id: 'abcabcabcabc99',
    Name: '/shop_db_1',
    Image: 'sha256:2222',
    State: { Status: 'running', ExitCode: 0 },
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
  restartPolicy: 'always',
  image: 'shop_web',
  imageId: 'sha256:1',
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
    assert.deepEqual(servicesSummary(containers), {
      db: { state: 'running', health: null, image: 'postgres:15' },
      web: { state: 'running', health: 'healthy', image: 'shop_web' },
    });
  });
});

describe('judgeContainers', () => {
  it('waits while there are no containers or a healthcheck is starting', () => {
    assert.equal(judgeContainers([]).kind, 'waiting');
    assert.deepEqual(judgeContainers([{ ...base, health: 'starting' }]), { kind: 'waiting', reason: 'web is starting' });
    assert.deepEqual(judgeContainers([{ ...base, state: 'restarting' }]), { kind: 'waiting', reason: 'web is restarting' });
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
