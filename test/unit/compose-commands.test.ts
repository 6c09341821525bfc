import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ComposeProject, composeCommands, composeProbes, dockerCommands } from '../../core/commands/compose.js';
import { shellJoin } from '../../core/exec/shell.js';

const v2: ComposeProject = { flavor: 'v2', path: '/srv/app', files: ['compose.yml', 'compose.prod.yml'], projectName: 'shop' };
const v1: ComposeProject = { flavor: 'v1', path: '/srv/app', files: [], projectName: undefined };

describe('Compose command lines', () => {
  it('probes v2 before v1', () => {
    assert.deepEqual(
      composeProbes.map((p) => shellJoin(p.argv)),
      ['docker compose version --short', "sh -c 'command -v docker-compose'"],
    );
  });

  it('builds v2 lines with files and project name', () => {
    const prefix = 'docker compose --file compose.yml --file compose.prod.yml --project-name shop';
    assert.equal(shellJoin(composeCommands.pull(v2)), `${prefix} pull --quiet --ignore-buildable --ignore-pull-failures`);
    assert.equal(shellJoin(composeCommands.build(v2)), `${prefix} build`);
    assert.equal(shellJoin(composeCommands.up(v2, { build: false })), `${prefix} up --detach --remove-orphans --no-build`);
    assert.equal(shellJoin(composeCommands.ps(v2)), `${prefix} ps --all --quiet`);
    assert.equal(
      shellJoin(composeCommands.logs(v2, 100, ['web', 'worker'])),
      `${prefix} logs --no-color --timestamps --tail 100 web worker`,
    );
    assert.equal(shellJoin(composeCommands.services(v2)), `${prefix} config --services`);
    assert.equal(shellJoin(composeCommands.restart(v2, [])), `${prefix} restart`);
  });

  it('builds v1 lines with the flags v1 has', () => {
    assert.equal(shellJoin(composeCommands.pull(v1)), 'docker-compose pull --quiet --ignore-pull-failures');
    assert.equal(shellJoin(composeCommands.up(v1, { build: true })), 'docker-compose up --detach --remove-orphans --build');
    assert.equal(shellJoin(composeCommands.ps(v1)), 'docker-compose ps --quiet');
  });

  it('never runs down: the old version serves until replaced', () => {
    for (const project of [v1, v2]) {
      const all = [composeCommands.pull, composeCommands.build, composeCommands.ps].map((f) => f(project).join(' '));
      assert.ok(!all.some((line) => / down\b/.test(line)));
    }
  });

  it('quotes hostile compose file names as single words', () => {
    const hostile: ComposeProject = { ...v2, files: ['my file;rm -rf ~.yml'], projectName: undefined };
    assert.equal(shellJoin(composeCommands.build(hostile)), "docker compose --file 'my file;rm -rf ~.yml' build");
  });

  it("lists a project's containers without starting Compose", () => {
    assert.equal(
      shellJoin(dockerCommands.projectContainers('shop')),
      'docker ps --all --quiet --no-trunc --filter label=com.docker.compose.project=shop --filter label=com.docker.compose.oneoff=False',
    );
  });

  it('builds docker image commands', () => {
    assert.equal(
      shellJoin(dockerCommands.pruneProjectImages('shop')),
      'docker image prune --force --filter label=com.docker.compose.project=shop',
    );
    assert.deepEqual(dockerCommands.removeTag('berth-keep/shop/web:abc'), ['docker', 'image', 'rm', 'berth-keep/shop/web:abc']);
    assert.deepEqual(dockerCommands.tag('sha256:abc', 'app_web'), ['docker', 'image', 'tag', 'sha256:abc', 'app_web']);
    assert.equal(
      shellJoin(dockerCommands.listByReference('berth-keep/shop/*')),
      "docker image ls --format '{{.Repository}}:{{.Tag}}' --filter 'reference=berth-keep/shop/*'",
    );
  });

  it("runs a container's healthcheck as Docker would, bounded by its timeout, its words never docker's options", () => {
    assert.equal(
      shellJoin(
        dockerCommands.execHealthcheck('f00dfeedbeef', ['/bin/sh', '-c', 'wget -q -O /dev/null "http://127.0.0.1:${PORT}/health"'], 2),
      ),
      `timeout -s KILL 2 docker exec f00dfeedbeef /bin/sh -c 'wget -q -O /dev/null "http://127.0.0.1:\${PORT}/health"'`,
    );
    assert.deepEqual(dockerCommands.execHealthcheck('abc', ['--privileged', 'x'], 30), [
      'timeout',
      '-s',
      'KILL',
      '30',
      'docker',
      'exec',
      'abc',
      '--privileged',
      'x',
    ]);
  });
});
