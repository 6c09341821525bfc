/**
 * The CLI bundle loads the server's code (node:sqlite, pg, hono) only for `server` and
 * `restore`: `--help` and a deploy with bad input never touch it, so they work on Node
 * versions whose node:sqlite is missing or behind a flag.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';

const CLI = join(process.cwd(), 'dist/cli/index.js');

/** Preloaded into the CLI: notes every module file loaded, and whether node:sqlite was, when the process exits. */
const RECORDER = `
import { registerHooks } from 'node:module';
const files = [];
registerHooks({ load(url, context, next) { if (url.startsWith('file:')) files.push(url); return next(url, context); } });
process.on('exit', () => {
  const sqlite = process.moduleLoadList.some((name) => /sqlite/.test(name));
  process.stderr.write('LOADED ' + JSON.stringify({ files, sqlite }) + '\\n');
});
`;

function runCli(args: string[]): { status: number | null; stdout: string; stderr: string; files: string[]; sqlite: boolean } {
  const dir = mkdtempSync(join(tmpdir(), 'berth-cli-loading-'));
  const recorder = join(dir, 'recorder.mjs');
  writeFileSync(recorder, RECORDER);
  const result = spawnSync(process.execPath, ['--import', pathToFileURL(recorder).href, CLI, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
    timeout: 30_000,
  });
  const loaded = /^LOADED (.*)$/m.exec(result.stderr)?.[1];
  assert.ok(loaded, result.stderr);
  const { files, sqlite } = JSON.parse(loaded) as { files: string[]; sqlite: boolean };
  // The bundle's own files (the entry and the chunks it loads); ssh2's optional cpu-features lies outside it.
  const bundle = pathToFileURL(join(process.cwd(), 'dist/cli')).href;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, files: files.filter((f) => f.startsWith(bundle)), sqlite };
}

describe('the CLI bundle', () => {
  it('prints its help without loading the server code or node:sqlite', () => {
    const run = runCli(['--help']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Usage: berth <command>/);
    assert.deepEqual(run.files, [pathToFileURL(CLI).href]);
    assert.equal(run.sqlite, false);
  });

  it('refuses a deploy with bad input without loading the server code or node:sqlite', () => {
    const run = runCli(['deploy', '--host', 'example.com', '--port', '70000']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /Invalid input 'port': 70000 is out of range/);
    assert.deepEqual(run.files, [pathToFileURL(CLI).href]);
    assert.equal(run.sqlite, false);
  });

  it('loads the server code for restore, and only then', () => {
    const run = runCli(['restore', '--help']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Usage: berth restore/);
    assert.ok(run.files.length > 1, 'the restore code is a chunk of its own');
    assert.equal(run.sqlite, true);
  });
});
