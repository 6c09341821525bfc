/** The bundled action, run the way the runner runs it: Node 24, inputs as INPUT_* variables. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { testbed } from '../bed/testbed.js';

const BUNDLE = join(process.cwd(), 'dist/action/index.js');

/** Runs the bundle with the given inputs; returns its exit code, output and GITHUB_OUTPUT file. */
export function runBundle(inputs: Record<string, string>, extraEnv: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'berth-runner-'));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_WORKSPACE: dir,
    RUNNER_TEMP: dir,
    ...extraEnv,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  const result = spawnSync(process.execPath, [BUNDLE], { env, encoding: 'utf8', timeout: 300_000 });
  return {
    code: result.status,
    output: `${result.stdout}${result.stderr}`,
    outputs: readFileSync(outputFile, 'utf8'),
    summary: readFileSync(summaryFile, 'utf8'),
  };
}

describe('the bundled action', () => {
  it('runs on this Node (24) and fails clearly with no inputs, without a stack trace', () => {
    assert.match(process.version, /^v24\./);
    const run = runBundle({});
    assert.equal(run.code, 1);
    assert.match(run.output, /::error::Missing input 'host': it is required/);
    assert.doesNotMatch(run.output, /at .*\.js:\d+/);
  });

  it('names each bad input and connects to nothing', () => {
    const run = runBundle({
      host: 'example.com; rm -rf /',
      username: 'deploy',
      port: '70000',
      path: 'relative',
      'private-key': 'not a key',
      ref: '--upload-pack=evil',
    });
    assert.equal(run.code, 1);
    assert.match(run.output, /Invalid input 'host'/);
    assert.match(run.output, /Invalid input 'port': 70000 is out of range/);
    assert.match(run.output, /Invalid input 'path'/);
    assert.match(run.output, /Invalid input 'ref'/);
    assert.match(run.output, /private-key.*could not be read/);
  });

  it('refuses a server whose host key does not match, and masks the key', () => {
    const bed = testbed();
    const forged = bed.jump.knownHosts.replaceAll(`[127.0.0.1]:${bed.jump.port}`, `[127.0.0.1]:${bed.sshd.port}`);
    const run = runBundle({
      host: '127.0.0.1',
      port: String(bed.sshd.port),
      username: bed.user,
      'private-key': bed.keys.ed25519,
      'known-hosts': forged,
      path: '/srv/app',
      ref: 'main',
    });
    assert.equal(run.code, 1);
    assert.match(run.output, /REMOTE HOST KEY DOES NOT MATCH/);
    assert.match(run.output, /::add-mask::/);
    const keyBody = bed.keys.ed25519.split('\n')[1] ?? '';
    assert.ok(keyBody.length > 10);
    assert.ok(!run.output.replace(/::add-mask::.*\n/g, '').includes(keyBody), 'the key appears only in add-mask commands');
  });
});
