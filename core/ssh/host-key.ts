/** Host keys as OpenSSH shows them: type, `SHA256:` fingerprint, algorithm preference. */
import { createHash } from 'node:crypto';

/** `SHA256:…` exactly as `ssh-keygen -lf` prints it (base64, no padding). */
export function fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named inside an SSH public key blob (`ssh-ed25519`, `ssh-rsa`, …). */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const length = keyBlob.readUInt32BE(0);
  if (length > 64 || 4 + length > keyBlob.length) return 'unknown';
  return keyBlob.subarray(4, 4 + length).toString('latin1');
}

/** Normalises a user-given fingerprint: accepts `SHA256:abc`, `SHA256:abc=`, surrounding spaces. */
export function normaliseFingerprint(text: string): string | undefined {
  const match = /^\s*SHA256:([A-Za-z0-9+/]{43})=?\s*$/.exec(text);
  return match ? `SHA256:${match[1]}` : undefined;
}

/** ssh2's host key algorithms, best first (ssh2 1.17 defaults). */
const HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
] as const;

/** Host key algorithms that produce a key of the given type. */
function algorithmsFor(keyType: string): string[] {
  if (keyType === 'ssh-rsa') return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  return HOST_KEY_ALGORITHMS.includes(keyType as never) ? [keyType] : [];
}

/**
 * Orders host key algorithms so that the types we hold a known key for come first,
 * as OpenSSH does: a server with ed25519 and RSA keys, known here only by RSA,
 * then presents the RSA key instead of failing verification.
 */
export function preferredHostKeyAlgorithms(knownTypes: readonly string[]): string[] {
  const preferred = [...new Set(knownTypes.flatMap(algorithmsFor))];
  return [...preferred, ...HOST_KEY_ALGORITHMS.filter((name) => !preferred.includes(name))];
}
