import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ComposeProject, composeCommands, composeProbes, dockerCommands } from '../../core/commands/compose.js';
import { migrationArgv } from '../../core/commands/migration.js';
import { refusesLinks, withOneOffCopy } from '../../core/commands/one-off-service.js';
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

  it('runs a one-off container of a service: removed after, no TTY, its dependencies started when they do not run', () => {
    assert.equal(
      shellJoin(composeCommands.run(v2, 'web', ['sh', '-c', 'bin/migrate && echo done'])),
      "docker compose --file compose.yml --file compose.prod.yml --project-name shop run --rm -T web sh -c 'bin/migrate && echo done'",
    );
    assert.equal(shellJoin(composeCommands.run(v1, 'web', ['sh', '-c', 'exit 3'])), "docker-compose run --rm -T web sh -c 'exit 3'");
  });

  it("runs the migration as its container's first process, its command a parameter of a constant script", () => {
    assert.deepEqual(migrationArgv('rake db:migrate; echo "$HOME"'), [
      'sh',
      '-c',
      'trap "exit 143" TERM INT HUP\nsh -c "$1" &\nwait $!',
      'berth-migrate',
      'rake db:migrate; echo "$HOME"',
    ]);
  });

  it('under v1, copies a service for its one-off container: same config, its image by name, never built', () => {
    // What the service and its copy both have.
    const shared = [
      '    depends_on:',
      '      - db',
      '    environment:',
      '      LITERAL: a$$b',
      '    network_mode: host',
      '    volumes:',
      '      - data:/data:rw',
    ];
    const services = [
      'services:',
      '  db:',
      '    image: postgres:16',
      '    network_mode: host',
      '  web:',
      '    build:',
      '      context: /srv/app',
      '    container_name: shop-web',
      ...shared,
    ];
    const rendered = [...services, "version: '2.4'", 'volumes:', '  data: {}', ''].join('\n');
    assert.equal(refusesLinks(rendered, 'web'), true);
    assert.equal(refusesLinks(rendered.replaceAll('network_mode: host', 'network_mode: bridge'), 'web'), false);
    assert.equal(refusesLinks(rendered.replaceAll('    network_mode: host\n', ''), 'web'), false);
    const copy = withOneOffCopy(rendered, 'web', '-shop');
    assert.equal(copy.service, 'web-berth-oneoff');
    assert.equal(
      copy.yaml,
      [...services, '  web-berth-oneoff:', ...shared, '    image: shop_web', 'version: "2.4"', 'volumes:', '  data: {}', ''].join('\n'),
    );
    assert.match(
      withOneOffCopy(rendered.replace('  web:\n', '  web:\n    image: shop/web:1\n'), 'web', 'x').yaml,
      /web-berth-oneoff:\n {4}image: shop\/web:1\n/,
    );
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
