/**
 * action.yml is the action's public contract: checked both ways against the one list of names in
 * core/settings/input-names.ts and against what the code reads and writes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setOutputs } from '../../action/report-outcome.js';
import { outcomeOf } from '../../core/engine/outcome.js';
import { COMMANDS, type InputName, Inputs, Outputs, SECRET_INPUTS } from '../../core/settings/input-names.js';
import { DEFAULTS, parseSettings } from '../../core/settings/parse-settings.js';
import { actionManifest } from '../helpers/action-manifest.js';
import { parseOutputFile } from '../helpers/runner-log.js';

const manifest = actionManifest();
const declared = [...manifest.inputs.keys()].sort();
const sorted = (names: Iterable<string>): string[] => [...new Set(names)].sort();

/** Every input name parseSettings asks for, over runs that take each branch. */
function namesRead(): string[] {
  const read = new Set<string>();
  const scenarios: Partial<Record<InputName, string>>[] = [
    ...COMMANDS.map((command) => ({ command })),
    { 'proxy-host': 'bastion.example.com', 'insecure-skip-host-key-check': 'true' },
    { host: 'example.com', username: 'deploy', path: '/srv/app', password: 'x', 'insecure-skip-host-key-check': 'true' },
  ];
  for (const inputs of scenarios) {
    try {
      parseSettings(
        (name) => {
          read.add(name);
          return inputs[name] ?? '';
        },
        { defaultRef: 'f'.repeat(40) },
      );
    } catch {
      // Invalid on purpose: the reads are what counts here.
    }
  }
  return sorted(read);
}

describe('action.yml against the code', () => {
  it('declares exactly the inputs listed in input-names.ts', () => {
    assert.deepEqual(declared, sorted(Object.values(Inputs)));
  });

  it('declares every input the settings parser reads, and the parser reads every declared input', () => {
    const read = namesRead();
    assert.deepEqual(
      read.filter((name) => !manifest.inputs.has(name)),
      [],
      'read by the code but missing from action.yml',
    );
    assert.deepEqual(
      declared.filter((name) => !read.includes(name)),
      [],
      'declared in action.yml but never read',
    );
  });

  it('masks only declared inputs', () => {
    assert.deepEqual(
      SECRET_INPUTS.filter((name) => !manifest.inputs.has(name)),
      [],
    );
  });

  it("gives the same defaults as the parser, which applies them when an input is given as ''", () => {
    const literal = [...manifest.inputs.values()].filter((input) => input.hasDefault && !input.default.includes('${{'));
    assert.deepEqual(Object.fromEntries(literal.map((input) => [input.name, input.default])), DEFAULTS);
  });

  it('marks as required exactly the inputs the parser reports missing', () => {
    let message = '';
    try {
      parseSettings(() => '', { defaultRef: 'f'.repeat(40) });
    } catch (error) {
      message = (error as Error).message;
    }
    const missing = [...message.matchAll(/Missing input '([^']+)': it is required/g)].map((match) => match[1] ?? '');
    const required = [...manifest.inputs.values()].filter((input) => input.required).map((input) => input.name);
    assert.deepEqual(sorted(missing), sorted(required));
  });

  it('names every command in the description of `command`', () => {
    const description = manifest.inputs.get(Inputs.command)?.description ?? '';
    for (const command of COMMANDS) assert.match(description, new RegExp(`\\b${command}\\b`));
  });

  it('declares exactly the outputs listed in input-names.ts, and every run sets each of them', () => {
    assert.deepEqual(sorted(manifest.outputs.keys()), sorted(Object.values(Outputs)));
    const dir = mkdtempSync(join(tmpdir(), 'berth-outputs-'));
    const file = join(dir, 'output');
    writeFileSync(file, '');
    const previous = process.env.GITHUB_OUTPUT;
    process.env.GITHUB_OUTPUT = file;
    try {
      setOutputs(outcomeOf({ status: 'failed', failedStep: 'connect', error: 'refused' }));
    } finally {
      if (previous === undefined) delete process.env.GITHUB_OUTPUT;
      else process.env.GITHUB_OUTPUT = previous;
    }
    const written = parseOutputFile(readFileSync(file, 'utf8'));
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(sorted(Object.keys(written)), sorted(manifest.outputs.keys()));
  });

  it('runs the committed bundle on the Node GitHub provides', () => {
    assert.deepEqual(manifest.runs, { using: 'node24', main: 'dist/action/index.js' });
  });
});
