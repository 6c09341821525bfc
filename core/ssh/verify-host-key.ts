/** Decides whether a presented host key is trusted. Fails closed: no entry means no trust. */
import { type BerthError, HostKeyMismatchError, HostKeyUnknownError } from '../errors.js';
import { fingerprint, keyTypeOf } from './host-key.js';
import { checkKnownHosts, knownHostsName, knownKeyTypes } from './known-hosts.js';
import type { HostKeyCheck } from './ssh-settings.js';

function keyscanHint(host: string, port: number): string {
  return `Get the right line with \`ssh-keyscan -p ${port} ${host}\` from a machine you trust (or compare \`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\` on the server), then set known-hosts or host-fingerprint.`;
}

/** Returns the error that refuses the key, or undefined when the key is trusted. */
export function verifyHostKey(check: HostKeyCheck, host: string, port: number, key: Buffer): BerthError | undefined {
  if (check.mode === 'insecure-skip') return undefined;
  const presented = `${keyTypeOf(key)} ${fingerprint(key)}`;
  const name = knownHostsName(host, port);
  if (check.fingerprints.includes(fingerprint(key))) return undefined;
  const verdict = checkKnownHosts(check.knownHosts, host, port, key);
  if (verdict.kind === 'match') return undefined;
  if (verdict.kind === 'revoked') {
    return new HostKeyMismatchError(
      `Host key verification failed for ${name}: the presented key ${presented} is marked @revoked.`,
      keyscanHint(host, port),
      [],
      presented,
    );
  }
  const expected = [...check.fingerprints, ...(verdict.kind === 'mismatch' ? verdict.expected : [])];
  if (expected.length === 0) {
    return new HostKeyUnknownError(
      `Host key verification failed for ${name}: no known-hosts entry or fingerprint names this host. The server presented ${presented}.`,
      keyscanHint(host, port),
      presented,
    );
  }
  return new HostKeyMismatchError(
    `Host key verification failed for ${name}: REMOTE HOST KEY DOES NOT MATCH.\n  expected: ${expected.join('\n            ')}\n  presented: ${presented}\nSomeone could be intercepting the connection, or the server's key changed.`,
    keyscanHint(host, port),
    expected,
    presented,
  );
}

/** Key types to prefer during negotiation, so the server presents the key we can check. */
export function expectedKeyTypes(check: HostKeyCheck, host: string, port: number): string[] {
  return check.mode === 'verify' ? knownKeyTypes(check.knownHosts, host, port) : [];
}
