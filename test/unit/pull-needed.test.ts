import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type ComposeProject, composeCommands } from '../../core/commands/compose.js';
import { parseProjectFiles, type ProjectFiles, pullNeeded } from '../../core/engine/pull-needed.js';
import { shellJoin } from '../../core/exec/shell.js';

const read = (files: Record<string, string>, composeFileInEnvironment = false): ProjectFiles => ({
  files: new Map(Object.entries(files)),
  composeFileInEnvironment,
});

const BUILT = 'services:\n  web:\n    build: .\n  worker:\n    build:\n      context: ./worker\n';

describe('whether a deploy pulls', () => {
  it('skips the pull when every service is built from source', () => {
    assert.deepEqual(pullNeeded(read({ 'docker-compose.yml': BUILT }), []), {
      needed: false,
      why: 'every service is built from source',
    });
  });

  it('pulls when a service only names an image, or may inherit one (extends)', () => {
    const db = `${BUILT}  db:\n    image: postgres:16\n`;
    assert.deepEqual(pullNeeded(read({ 'compose.yaml': db }), []), { needed: true, why: 'db has no build' });
    const extended =
      'services:\n  web:\n    build: .\n    image: shop/web\n  cache:\n    extends:\n      file: base.yml\n      service: redis\n';
    assert.deepEqual(pullNeeded(read({ 'compose.yaml': extended }), []), { needed: true, why: 'cache has no build' });
  });

  it('merges an override file: it may add a pulled service or the build of one', () => {
    const pulledInOverride = { 'docker-compose.yml': BUILT, 'docker-compose.override.yml': 'services:\n  db:\n    image: postgres\n' };
    assert.equal(pullNeeded(read(pulledInOverride), []).needed, true);
    const builtInOverride = {
      'docker-compose.yml': 'services:\n  web:\n    image: shop/web\n',
      'docker-compose.override.yml': 'services:\n  web:\n    build: .\n',
    };
    assert.equal(pullNeeded(read(builtInOverride), []).needed, false);
  });

  it('reads exactly the files given to Compose', () => {
    const files = { 'docker-compose.yml': 'services:\n  db:\n    image: postgres\n', 'deploy/prod.yml': BUILT };
    assert.equal(pullNeeded(read(files), ['deploy/prod.yml']).needed, false);
    assert.deepEqual(pullNeeded(read(files), ['deploy/prod.yml', 'deploy/extra.yml']), {
      needed: true,
      why: 'deploy/extra.yml was not found',
    });
  });

  it('follows YAML merge keys, as Compose does', () => {
    const anchored = 'x-app: &app\n  build: .\nservices:\n  web:\n    <<: *app\n  worker:\n    <<: *app\n';
    assert.equal(pullNeeded(read({ 'compose.yml': anchored }), []).needed, false);
  });

  it('pulls whenever the files do not tell for sure', () => {
    const cases: Array<[ProjectFiles, string]> = [
      [read({ 'docker-compose.yml': BUILT }, true), 'COMPOSE_FILE names the files'],
      [read({ 'docker-compose.yml': BUILT, '.env': 'APP_PORT=1\nCOMPOSE_FILE=other.yml\n' }), 'COMPOSE_FILE names the files'],
      [read({}), 'no Compose file in the folder'],
      [read({ 'docker-compose.yml': BUILT, 'compose.yaml': BUILT }), 'several Compose files (docker-compose.yml, compose.yaml)'],
      [
        read({ 'compose.yml': BUILT, 'compose.override.yml': BUILT, 'docker-compose.override.yml': BUILT }),
        'several override files (docker-compose.override.yml, compose.override.yml)',
      ],
      [read({ 'compose.yml': `include:\n  - db.yml\n${BUILT}` }), 'compose.yml has no services map berth can read'],
      [read({ 'compose.yml': 'web:\n  build: .\n' }), 'compose.yml has no services map berth can read'],
      [read({ 'compose.yml': 'services: [\n' }), 'compose.yml has no services map berth can read'],
      [read({ 'compose.yml': 'services: {}\n' }), 'no services were found'],
    ];
    for (const [files, why] of cases) assert.deepEqual(pullNeeded(files, []), { needed: true, why });
  });

  it('reads the files the command printed, and the environment line', () => {
    const project: ComposeProject = { flavor: 'v1', path: '/srv/app', files: [], projectName: undefined };
    const dir = mkdtempSync(join(tmpdir(), 'berth-read-compose-'));
    try {
      writeFileSync(join(dir, 'docker-compose.yml'), BUILT);
      writeFileSync(join(dir, '.env'), 'APP_PORT=8080'); // no newline at the end
      const [file, ...args] = composeCommands.readFiles(project);
      const run = (env: Record<string, string>) =>
        spawnSync(file ?? 'sh', args, { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, ...env } }).stdout;
      const parsed = parseProjectFiles(run({}));
      assert.deepEqual([...parsed.files.keys()], ['docker-compose.yml', '.env']);
      assert.equal(parsed.files.get('docker-compose.yml')?.trimEnd(), BUILT.trimEnd());
      assert.equal(parsed.files.get('.env')?.trimEnd(), 'APP_PORT=8080');
      assert.equal(parsed.composeFileInEnvironment, false);
      assert.equal(parseProjectFiles(run({ COMPOSE_FILE: 'a.yml' })).composeFileInEnvironment, true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the given files, else every name Compose looks for, and .env', () => {
    const given: ComposeProject = { flavor: 'v2', path: '/srv/app', files: ['compose.yml', 'compose.prod.yml'], projectName: 'shop' };
    assert.match(shellJoin(composeCommands.readFiles(given)), / berth-read-compose compose.yml compose.prod.yml .env$/);
    assert.match(
      shellJoin(composeCommands.readFiles({ ...given, files: [] })),
      / berth-read-compose docker-compose.yml docker-compose.yaml compose.yml compose.yaml docker-compose.override.yml docker-compose.override.yaml compose.override.yml compose.override.yaml .env$/,
    );
  });
});
