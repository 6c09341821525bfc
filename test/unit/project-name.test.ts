/** The Compose project's name as Compose derives it, read from the project folder (project-name.ts). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type ComposeProject, composeCommands, dockerCommands } from '../../core/commands/compose.js';
import { composeProjectName, dotenvValue } from '../../core/engine/project-name.js';
import { parseProjectFiles, type ProjectFiles } from '../../core/engine/pull-needed.js';
import { shellJoin } from '../../core/exec/shell.js';

const COMPOSE = 'services:\n  web:\n    build: .\n';
const read = (files: Record<string, string>, more: Partial<ProjectFiles> = {}): ProjectFiles => ({
  files: new Map(Object.entries(files)),
  composeFileInEnvironment: false,
  physicalDir: '/srv/My.Shop',
  ...more,
});
const v1 = { projectName: undefined, files: [], flavor: 'v1' } as const;

describe('the Compose project name berth derives', () => {
  it('is project-name when given, normalized as Compose does (v2 also trims - and _ at the start)', () => {
    assert.equal(composeProjectName(read({}), { ...v1, projectName: 'My Shop!' }), 'myshop');
    assert.equal(composeProjectName(read({}), { ...v1, projectName: '_Shop', flavor: 'v2' }), 'shop');
    assert.equal(composeProjectName(read({}), { ...v1, projectName: '_Shop' }), '_shop');
  });

  it('is COMPOSE_PROJECT_NAME from .env, else the folder’s name with links resolved', () => {
    assert.equal(composeProjectName(read({ 'compose.yml': COMPOSE }), v1), 'myshop');
    const dotenv = 'APP_PORT=1\n# COMPOSE_PROJECT_NAME=no\nexport COMPOSE_PROJECT_NAME="Store" \n';
    assert.equal(composeProjectName(read({ 'compose.yml': COMPOSE, '.env': dotenv }), v1), 'store');
    assert.equal(
      composeProjectName(read({ 'compose.yml': COMPOSE, '.env': "COMPOSE_PROJECT_NAME=a # b\nCOMPOSE_PROJECT_NAME='c'\n" }), v1),
      'c',
    );
  });

  it('is not known when Compose might decide otherwise: berth then asks Compose', () => {
    const cases: Array<[ProjectFiles, typeof v1 | { projectName: undefined; files: string[]; flavor: 'v1' }]> = [
      [read({ 'compose.yml': COMPOSE }, { projectNameInEnvironment: true }), v1],
      [read({ 'compose.yml': COMPOSE }, { composeFileInEnvironment: true }), v1],
      [read({ 'compose.yml': COMPOSE, '.env': 'COMPOSE_FILE=a.yml\n' }), v1],
      [read({ 'compose.yml': COMPOSE, '.env': 'COMPOSE_PROJECT_NAME=${OTHER}\n' }), v1],
      [read({ 'compose.yml': `name: shop\n${COMPOSE}` }), v1],
      [read({ 'compose.yml': 'services: [\n' }), v1],
      [read({}), v1],
      [read({ 'compose.yml': COMPOSE }, { physicalDir: '/' }), v1],
      [read({ 'deploy/compose.yml': COMPOSE }), { projectName: undefined, files: ['deploy/compose.yml'], flavor: 'v1' }],
    ];
    for (const [files, given] of cases) assert.equal(composeProjectName(files, given), undefined, JSON.stringify([...files.files]));
  });

  it('reads a value from .env as Compose does, or says it cannot', () => {
    assert.equal(dotenvValue('A=1\nB = two \n', 'B'), 'two');
    assert.equal(dotenvValue('A=1\n', 'B'), undefined);
    assert.equal(dotenvValue('B="x y"\n', 'B'), 'x y');
    assert.equal(dotenvValue('B=$HOME\n', 'B'), null);
  });

  it('the read prints the environment lines and the folder with links resolved', () => {
    const project: ComposeProject = { flavor: 'v1', path: '/srv/app', files: [], projectName: undefined };
    const root = mkdtempSync(join(tmpdir(), 'berth-project-name-'));
    try {
      const real = join(root, 'Real.App');
      mkdirSync(real);
      symlinkSync(real, join(root, 'link'));
      writeFileSync(join(real, 'compose.yml'), COMPOSE);
      const [file, ...args] = composeCommands.readFiles(project);
      const run = (env: Record<string, string>) =>
        spawnSync(file ?? 'sh', args, {
          cwd: join(root, 'link'),
          encoding: 'utf8',
          env: { PATH: process.env.PATH, PWD: join(root, 'link'), ...env },
        }).stdout;
      const parsed = parseProjectFiles(run({}));
      assert.equal(parsed.physicalDir, real);
      assert.equal(parsed.projectNameInEnvironment, false);
      assert.equal(composeProjectName(parsed, project), 'realapp');
      assert.equal(parseProjectFiles(run({ COMPOSE_PROJECT_NAME: 'x' })).projectNameInEnvironment, true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('lists a project’s containers and inspects them in one command', () => {
    assert.equal(
      shellJoin(dockerCommands.inspectProject('shop')),
      `sh -c 'ids=$("$@") || exit; [ -z "$ids" ] || exec docker inspect $ids' berth-containers docker ps --all --quiet --no-trunc --filter label=com.docker.compose.project=shop --filter label=com.docker.compose.oneoff=False`,
    );
  });
});
