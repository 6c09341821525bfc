/**
 * known_hosts parsing and matching, as OpenSSH does it: plain and hashed (`|1|salt|hash`)
 * host fields, `[host]:port` for ports other than 22, `*`/`?` wildcards, `!` negation,
 * and `@revoked` entries. `@cert-authority` lines are kept out: certificates are not supported.
 */
import { createHmac } from 'node:crypto';
import { InputError } from '../errors.js';
import { fingerprint } from './host-key.js';

export interface KnownHostEntry {
  readonly hosts: string;
  readonly keyType: string;
  readonly key: Buffer;
  readonly revoked: boolean;
  /** 1-based line number in the given text, for messages. */
  readonly line: number;
}

/** Parses known_hosts text (what `ssh-keyscan` prints); comments and blank lines are skipped. */
export function parseKnownHosts(text: string, source = 'known-hosts'): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: string | undefined;
    if (fields[0]?.startsWith('@')) marker = fields.shift();
    const [hosts, keyType, keyBase64] = fields;
    const where = `${source} line ${index + 1}`;
    if (marker !== undefined && marker !== '@revoked' && marker !== '@cert-authority') {
      throw new InputError(`Invalid ${where}: unknown marker '${marker}'.`, 'Expected known_hosts lines as printed by ssh-keyscan.');
    }
    if (!hosts || !keyType || !keyBase64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(keyBase64)) {
      throw new InputError(
        `Invalid ${where}: expected '<hosts> <key-type> <base64-key>'.`,
        'Paste the lines `ssh-keyscan -p PORT HOST` prints.',
      );
    }
    if (marker === '@cert-authority') return;
    entries.push({ hosts, keyType, key: Buffer.from(keyBase64, 'base64'), revoked: marker === '@revoked', line: index + 1 });
  });
  return entries;
}

/** The name OpenSSH looks up: `host`, or `[host]:port` when the port is not 22. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function hashedMatches(field: string, name: string): boolean {
  const [, magic, salt, hash] = field.split('|');
  if (magic !== '1' || !salt || !hash) return false;
  const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
  return digest === hash;
}

/** Whether an entry's host field names this host and port. */
export function entryMatches(hosts: string, host: string, port: number): boolean {
  const name = knownHostsName(host, port);
  if (hosts.startsWith('|')) return hashedMatches(hosts, name);
  let matched = false;
  for (const pattern of hosts.split(',')) {
    const negated = pattern.startsWith('!');
    const glob = negated ? pattern.slice(1) : pattern;
    if (globToRegExp(glob).test(name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

export type KnownHostsVerdict =
  | { readonly kind: 'match' }
  | { readonly kind: 'revoked' }
  | { readonly kind: 'mismatch'; readonly expected: readonly string[] }
  | { readonly kind: 'unknown' };

/** Checks a presented key against the entries for host:port. */
export function checkKnownHosts(entries: readonly KnownHostEntry[], host: string, port: number, key: Buffer): KnownHostsVerdict {
  const forHost = entries.filter((entry) => entryMatches(entry.hosts, host, port));
  if (forHost.some((entry) => entry.revoked && entry.key.equals(key))) return { kind: 'revoked' };
  const trusted = forHost.filter((entry) => !entry.revoked);
  if (trusted.some((entry) => entry.key.equals(key))) return { kind: 'match' };
  if (trusted.length === 0) return { kind: 'unknown' };
  return { kind: 'mismatch', expected: trusted.map((entry) => `${entry.keyType} ${fingerprint(entry.key)}`) };
}

/** Key types known for host:port, to prefer them in algorithm negotiation. */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  return entries.filter((entry) => !entry.revoked && entryMatches(entry.hosts, host, port)).map((entry) => entry.keyType);
}
