import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { InputError } from '../../core/errors.js';
import { checkKnownHosts, entryMatches, knownHostsName, parseKnownHosts } from '../../core/ssh/known-hosts.js';

const KEY_A = 'AAAAC3NzaC1lZDI1NTE5AAAAIKvP0sVrmVoS8Zq5gq3m8gdqQIS9cVqKkLrZ4vWb7y1a';
const KEY_B = 'AAAAC3NzaC1lZDI1NTE5AAAAIFk5Pj3hH1mIYIJq6sOVmH0X7l3w1u9h9c0m1xGm8M2b';
const keyA = Buffer.from(KEY_A, 'base64');
const keyB = Buffer.from(KEY_B, 'base64');

function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('knownHostsName', () => {
  it('uses the bare host on port 22 and [host]:port elsewhere', () => {
    assert.equal(knownHostsName('example.com', 22), 'example.com');
    assert.equal(knownHostsName('10.0.0.5', 2222), '[10.0.0.5]:2222');
  });
});

describe('parseKnownHosts', () => {
  it('reads ssh-keyscan output, skipping comments and blank lines', () => {
    const entries = parseKnownHosts(`# example.com:22 SSH-2.0-OpenSSH_9.2\n\nexample.com ssh-ed25519 ${KEY_A}\n`);
    assert.equal(entries.length, 1);
    assert.equal(entries[0]?.keyType, 'ssh-ed25519');
    assert.equal(entries[0]?.line, 3);
  });

  it('marks @revoked entries and leaves out @cert-authority ones', () => {
    const entries = parseKnownHosts(`@revoked * ssh-ed25519 ${KEY_B}\n@cert-authority *.example.com ssh-ed25519 ${KEY_A}\n`);
    assert.deepEqual(
      entries.map((e) => e.revoked),
      [true],
    );
  });

  it('names the line of a malformed entry', () => {
    assert.throws(
      () => parseKnownHosts(`example.com ssh-ed25519 ${KEY_A}\nexample.com ssh-ed25519\n`),
      (error: unknown) => {
        assert.ok(error instanceof InputError);
        assert.match(error.message, /line 2/);
        assert.match(error.hint ?? '', /ssh-keyscan/);
        return true;
      },
    );
    assert.throws(() => parseKnownHosts('example.com ssh-ed25519 not*base64'), InputError);
    assert.throws(() => parseKnownHosts(`@bogus example.com ssh-ed25519 ${KEY_A}`), /unknown marker/);
  });
});

describe('entryMatches', () => {
  it('matches plain names, lists and [host]:port forms', () => {
    assert.ok(entryMatches('example.com', 'example.com', 22));
    assert.ok(entryMatches('other,Example.COM', 'example.com', 22));
    assert.ok(!entryMatches('example.com', 'example.com', 2222));
    assert.ok(entryMatches('[example.com]:2222', 'example.com', 2222));
  });

  it('matches wildcards and honours negation', () => {
    assert.ok(entryMatches('*.example.com', 'web.example.com', 22));
    assert.ok(entryMatches('web?.example.com', 'web1.example.com', 22));
    assert.ok(!entryMatches('*.example.com,!db.example.com', 'db.example.com', 22));
  });

  it('matches hashed entries for the exact name only', () => {
    assert.ok(entryMatches(hashed('example.com'), 'example.com', 22));
    assert.ok(entryMatches(hashed('[example.com]:2222'), 'example.com', 2222));
    assert.ok(!entryMatches(hashed('example.com'), 'example.org', 22));
    assert.ok(!entryMatches('|1|garbage', 'example.com', 22));
  });
});

describe('checkKnownHosts', () => {
  const entries = parseKnownHosts(`example.com ssh-ed25519 ${KEY_A}\n@revoked example.com ssh-ed25519 ${KEY_B}\n`);

  it('accepts the listed key', () => {
    assert.deepEqual(checkKnownHosts(entries, 'example.com', 22, keyA), { kind: 'match' });
  });

  it('refuses a revoked key', () => {
    assert.deepEqual(checkKnownHosts(entries, 'example.com', 22, keyB), { kind: 'revoked' });
  });

  it('reports a mismatch with the expected fingerprints', () => {
    const verdict = checkKnownHosts(parseKnownHosts(`example.com ssh-ed25519 ${KEY_A}`), 'example.com', 22, keyB);
    assert.equal(verdict.kind, 'mismatch');
    assert.match(verdict.kind === 'mismatch' ? (verdict.expected[0] ?? '') : '', /^ssh-ed25519 SHA256:/);
  });

  it('reports an unknown host when no entry names it', () => {
    assert.deepEqual(checkKnownHosts(entries, 'example.org', 22, keyA), { kind: 'unknown' });
  });
});
