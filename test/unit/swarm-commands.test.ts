import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { composeCommands } from '../../core/commands/compose.js';
import { fileCommands } from '../../core/commands/files.js';
import { stackServiceName, swarmCommands } from '../../core/commands/swarm.js';
import { shellJoin } from '../../core/exec/shell.js';
import { notAManager } from '../../core/swarm/swarm-app.js';

describe('Swarm command lines', () => {
  it('deploys a rendered stack file, pruning services no longer in it', () => {
    assert.equal(
      shellJoin(swarmCommands.deploy('/srv/app/.git/berth/stacks/r1.yml', 'shop', { resolveImages: true })),
      'docker stack deploy --compose-file /srv/app/.git/berth/stacks/r1.yml --prune --with-registry-auth --resolve-image always shop',
    );
    assert.equal(
      shellJoin(swarmCommands.deploy('/srv/my app/stack.yml', 'shop', { resolveImages: false })),
      "docker stack deploy --compose-file '/srv/my app/stack.yml' --prune --with-registry-auth --resolve-image never shop",
    );
  });

  it('reads the node, the stack state, logs, restarts and pushes', () => {
    assert.equal(shellJoin(swarmCommands.nodeState()), "docker info --format '{{json .Swarm}}'");
    assert.equal(shellJoin(swarmCommands.logs('shop', 'web', 50)), 'docker service logs --timestamps --no-trunc --tail 50 shop_web');
    assert.equal(shellJoin(swarmCommands.forceUpdate('shop', 'web')), 'docker service update --force --detach --quiet shop_web');
    assert.equal(
      shellJoin(swarmCommands.push('registry.example.com/team/shop-web:3f2c1ab09d4e')),
      'docker image push registry.example.com/team/shop-web:3f2c1ab09d4e',
    );
    assert.equal(stackServiceName('shop', 'web'), 'shop_web');
  });

  it('passes the stack name to the state script as a parameter, never in the script', () => {
    const argv = swarmCommands.state('x$(id)');
    assert.deepEqual(argv.slice(0, 2), ['sh', '-c']);
    assert.deepEqual(argv.slice(3), ['berth-stack-state', 'x$(id)']);
    assert.ok(!argv[2]?.includes('x$(id)'));
    assert.match(argv[2] ?? '', /label=com\.docker\.stack\.namespace=\$1/);
    assert.match(argv[2] ?? '', /--filter _up-to-date=true/);
  });

  it('renders the Compose config and builds from a file on stdin', () => {
    const project = { flavor: 'v1' as const, path: '/srv/app', files: ['docker-compose.yml'], projectName: 'shop' };
    assert.equal(shellJoin(composeCommands.config(project)), 'docker-compose --file docker-compose.yml --project-name shop config');
    assert.equal(shellJoin(composeCommands.build({ ...project, files: ['-'] })), 'docker-compose --file - --project-name shop build');
  });

  it('removes the stack files of releases not kept, on a real shell, whatever their names hold', () => {
    const dir = mkdtempSync(join(tmpdir(), "berth stacks $'"));
    try {
      const stacks = join(dir, 'stacks');
      mkdirSync(stacks);
      const names = ['r1.yml', 'r2.yml', 'r3 $(touch pwned).yml', 'notes.txt'];
      for (const name of names) writeFileSync(join(stacks, name), '');
      const argv = fileCommands.removeOthers(stacks, [join(stacks, 'r2.yml'), join(stacks, 'r3 $(touch pwned).yml')]);
      assert.equal(spawnSync(argv[0] ?? '', argv.slice(1), { cwd: dir }).status, 0);
      assert.deepEqual(
        names.map((name) => existsSync(join(stacks, name))),
        [false, true, true, true],
      );
      assert.ok(!existsSync(join(dir, 'pwned')));
      const missing = fileCommands.removeOthers(join(dir, 'none'), []);
      assert.equal(spawnSync(missing[0] ?? '', missing.slice(1)).status, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the swarm node check', () => {
  it('accepts an active manager and names a worker or a node in no swarm', () => {
    assert.equal(notAManager('{"LocalNodeState":"active","ControlAvailable":true,"NodeID":"x"}', 'deploy@m1:22'), undefined);
    assert.match(
      notAManager('{"LocalNodeState":"active","ControlAvailable":false}', 'deploy@w1:22')?.message ?? '',
      /deploy@w1:22 is a Swarm worker; stacks are deployed from a manager node/,
    );
    const inactive = notAManager('{"LocalNodeState":"inactive","ControlAvailable":false}', 'deploy@vps:22');
    assert.match(inactive?.message ?? '', /deploy@vps:22 is not in a Docker Swarm \(its swarm state is inactive\)/);
    assert.match(inactive?.hint ?? '', /docker swarm init/);
  });
});
