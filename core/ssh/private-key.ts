/** Reads a private key in memory, so a bad key or passphrase fails before anything connects. */
import ssh2 from 'ssh2';
import { PrivateKeyError } from '../errors.js';

type ParsedKey = ssh2.ParsedKey;

/** Parses an OpenSSH or PEM private key, decrypting it with the passphrase when given. */
export function parsePrivateKey(text: string, passphrase: string | undefined, label: string): ParsedKey {
  const parsed = ssh2.utils.parseKey(text, passphrase);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key instanceof Error || key === undefined) {
    const reason = key instanceof Error ? key.message : 'no key found';
    if (/encrypted/i.test(reason) && !passphrase) {
      throw new PrivateKeyError(`The ${label} is encrypted and no passphrase was given.`, 'Set the passphrase for this key.');
    }
    if (passphrase && /decrypt|passphrase|bad/i.test(reason)) {
      throw new PrivateKeyError(`The ${label} could not be decrypted: wrong passphrase.`, 'Check the passphrase that goes with this key.');
    }
    throw new PrivateKeyError(
      `The ${label} could not be read: ${reason}.`,
      'Give the whole private key, including its BEGIN and END lines (OpenSSH or PEM format).',
    );
  }
  if (!key.isPrivateKey()) {
    throw new PrivateKeyError(`The ${label} is a public key.`, 'Give the private key, not the .pub file.');
  }
  return key;
}
