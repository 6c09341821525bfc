import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { shellJoin, shellQuote, toShellLine } from '../../core/exec/shell.js';

const HOSTILE = [
  'plain',
  'with space',
  "it's",
  '$(touch /tmp/pwned)',
  '`id`',
  'a;b && c | d',
  'line\nbreak',
  '*',
  '~root',
  '',
  '--flag=$HOME',
  "''\"\\",
  'ünïcödé',
];

describe('shellQuote', () => {
  it('leaves safe words alone and single-quotes the rest', () => {
    assert.equal(shellQuote('docker-compose'), 'docker-compose');
    assert.equal(shellQuote('/srv/app/docker-compose.yml'), '/srv/app/docker-compose.yml');
    assert.equal(shellQuote('with space'), "'with space'");
    assert.equal(shellQuote("it's"), "'it'\\''s'");
    assert.equal(shellQuote(''), "''");
    assert.equal(shellQuote('$(id)'), "'$(id)'");
  });

  it('rejects NUL bytes, which no argument can hold', () => {
    assert.throws(() => shellQuote('a\0b'), /NUL byte/);
  });

  it('round-trips every hostile value through a real sh unchanged', () => {
    const line = shellJoin(['printf', '%s\\0', ...HOSTILE]);
    const result = spawnSync('sh', ['-c', line], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(result.stdout.split('\0').slice(0, -1), HOSTILE);
  });
});

describe('toShellLine', () => {
  it('adds the working directory and environment, quoted', () => {
    assert.equal(
      toShellLine({ argv: ['git', 'status'], cwd: '/srv/my app', env: { A: 'x y', B: '$z' } }),
      "cd '/srv/my app' && exec env 'A=x y' 'B=$z' git status",
    );
  });

  it('execs a bare command', () => {
    assert.equal(toShellLine({ argv: ['docker', 'ps'] }), 'exec docker ps');
  });

  it('rejects environment names a shell could misread', () => {
    assert.throws(() => toShellLine({ argv: ['true'], env: { 'A;rm': 'x' } }), /Invalid environment variable name/);
  });

  it('refuses an empty command', () => {
    assert.throws(() => shellJoin([]), /at least one word/);
  });
});
