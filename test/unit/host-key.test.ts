import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { HostKeyMismatchError, HostKeyUnknownError } from '../../core/errors.js';
import { fingerprint, keyTypeOf, normaliseFingerprint, preferredHostKeyAlgorithms } from '../../core/ssh/host-key.js';
import { parseKnownHosts } from '../../core/ssh/known-hosts.js';
import { verifyHostKey } from '../../core/ssh/verify-host-key.js';

function generatedKey(type: string): { blob: Buffer; printed: string; line: string } {
  const dir = mkdtempSync(join(tmpdir(), 'berth-hk-'));
  try {
    const file = join(dir, 'key');
    spawnSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', file]);
    const line = readFileSync(`${file}.pub`, 'utf8').trim();
    const printed = spawnSync('ssh-keygen', ['-lf', `${file}.pub`], { encoding: 'utf8' }).stdout.split(' ')[1] ?? '';
    return { blob: Buffer.from(line.split(' ')[1] ?? '', 'base64'), printed, line };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('fingerprint', () => {
  for (const type of ['ed25519', 'ecdsa', 'rsa']) {
    it(`equals what ssh-keygen -lf prints for ${type}`, () => {
      const key = generatedKey(type);
      assert.equal(fingerprint(key.blob), key.printed);
      assert.equal(keyTypeOf(key.blob), key.line.split(' ')[0]);
    });
  }
});

describe('normaliseFingerprint', () => {
  it('accepts the printed form, with or without padding', () => {
    const fp = 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s';
    assert.equal(normaliseFingerprint(fp), fp);
    assert.equal(normaliseFingerprint(` ${fp}= `), fp);
    assert.equal(normaliseFingerprint('MD5:aa:bb'), undefined);
    assert.equal(normaliseFingerprint('SHA256:short'), undefined);
  });
});

describe('preferredHostKeyAlgorithms', () => {
  it('puts the known key types first and keeps every other algorithm', () => {
    const list = preferredHostKeyAlgorithms(['ssh-rsa']);
    assert.deepEqual(list.slice(0, 3), ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    assert.ok(list.includes('ssh-ed25519'));
    assert.equal(new Set(list).size, list.length);
    assert.equal(preferredHostKeyAlgorithms([])[0], 'ssh-ed25519');
  });
});

describe('verifyHostKey', () => {
  const key = generatedKey('ed25519');
  const other = generatedKey('ed25519');
  const entries = parseKnownHosts(`[h]:2222 ${key.line}`);

  it('trusts a listed key or a matching fingerprint', () => {
    assert.equal(verifyHostKey({ mode: 'verify', knownHosts: entries, fingerprints: [] }, 'h', 2222, key.blob), undefined);
    assert.equal(verifyHostKey({ mode: 'verify', knownHosts: [], fingerprints: [key.printed] }, 'h', 22, key.blob), undefined);
  });

  it('fails closed with nothing configured', () => {
    const error = verifyHostKey({ mode: 'verify', knownHosts: [], fingerprints: [] }, 'h', 22, key.blob);
    assert.ok(error instanceof HostKeyUnknownError);
    assert.match(error.hint ?? '', /ssh-keyscan -p 22 h/);
  });

  it('shows the expected and presented fingerprints on a mismatch', () => {
    const error = verifyHostKey({ mode: 'verify', knownHosts: entries, fingerprints: [] }, 'h', 2222, other.blob);
    assert.ok(error instanceof HostKeyMismatchError);
    assert.deepEqual(error.expected, [`ssh-ed25519 ${key.printed}`]);
    assert.equal(error.presented, `ssh-ed25519 ${other.printed}`);
    assert.match(error.message, /expected: ssh-ed25519 SHA256:/);
    assert.match(error.hint ?? '', /ssh-keyscan -p 2222 h/);
  });

  it('skips only when told to', () => {
    assert.equal(verifyHostKey({ mode: 'insecure-skip' }, 'h', 22, other.blob), undefined);
  });
});
