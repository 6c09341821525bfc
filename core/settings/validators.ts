/**
 * Checks for single values. Each returns the parsed value or records a problem that names
 * the input, what is wrong with the value, and the expected form.
 */
import { redactUrlPasswords } from '../redact.js';

/** Gathers every problem so the user sees them all at once. */
export class Problems {
  readonly list: string[] = [];
  add(name: string, problem: string, expected: string): undefined {
    this.list.push(`Invalid input '${name}': ${problem}. Expected ${expected}.`);
    return undefined;
  }
  missing(name: string, expected: string): undefined {
    this.list.push(`Missing input '${name}': it is required. Expected ${expected}.`);
    return undefined;
  }
}

/** Shows a value in a message without letting it span lines, and with any URL password redacted. */
export function show(value: string): string {
  const flat = JSON.stringify(redactUrlPasswords(value));
  return flat.length > 80 ? `${flat.slice(0, 77)}…"` : flat;
}

export function integer(p: Problems, name: string, raw: string, min: number, max: number): number | undefined {
  if (!/^\d+$/.test(raw)) return p.add(name, `${show(raw)} is not a whole number`, `an integer from ${min} to ${max}`);
  const value = Number(raw);
  if (value < min || value > max) return p.add(name, `${value} is out of range`, `an integer from ${min} to ${max}`);
  return value;
}

const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

/** YAML 1.2 core booleans, as @actions/core reads them. */
export function boolean(p: Problems, name: string, raw: string): boolean | undefined {
  if (TRUE.includes(raw)) return true;
  if (FALSE.includes(raw)) return false;
  return p.add(name, `${show(raw)} is not a boolean`, '`true` or `false`');
}

/** Host names, IPv4 and IPv6 addresses; nothing that an SSH client could read as an option. */
export function host(p: Problems, name: string, raw: string): string | undefined {
  const value = raw.replace(/^\[(.*)\]$/, '$1');
  const hostname = /^[A-Za-z0-9_]([A-Za-z0-9_.-]{0,252})$/;
  const ipv6 = /^[0-9A-Fa-f:.]+(%[A-Za-z0-9]+)?$/;
  if (!hostname.test(value) && !(value.includes(':') && ipv6.test(value))) {
    return p.add(name, `${show(raw)} is not a host name or IP address`, 'a host such as `example.com`, `203.0.113.7` or `2001:db8::7`');
  }
  return value;
}

export function username(p: Problems, name: string, raw: string): string | undefined {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$/.test(raw)) {
    return p.add(name, `${show(raw)} is not a valid user name`, 'a Unix user name such as `deploy`');
  }
  return raw;
}

/** An absolute path on the server, without line breaks or NUL. */
export function absolutePath(p: Problems, name: string, raw: string): string | undefined {
  if (!raw.startsWith('/'))
    return p.add(name, `${show(raw)} is not an absolute path`, 'an absolute path on the server, such as `/srv/app`');
  if (/[\0\n\r]/.test(raw)) return p.add(name, 'the path contains a line break or NUL byte', 'an absolute path on one line');
  return raw.length > 1 ? raw.replace(/\/+$/, '') : raw;
}

/** A path relative to the app directory that stays inside it. */
export function relativePath(p: Problems, name: string, raw: string): string | undefined {
  if (raw.startsWith('/') || raw.startsWith('-') || raw.split('/').includes('..') || /[\0\r]/.test(raw)) {
    return p.add(
      name,
      `${show(raw)} is not a path inside the app directory`,
      'paths relative to `path`, such as `docker-compose.prod.yml`',
    );
  }
  return raw;
}

/**
 * A commit or ref git accepts and that cannot be read as an option:
 * the rules of `git check-ref-format`, plus no leading dash.
 */
export function gitRef(p: Problems, name: string, raw: string): string | undefined {
  const bad =
    raw.startsWith('-') ||
    raw.startsWith('/') ||
    raw.endsWith('/') ||
    raw.endsWith('.') ||
    raw.endsWith('.lock') ||
    raw.includes('..') ||
    raw.includes('@{') ||
    raw.includes('//') ||
    raw === '@' ||
    [...raw].some((char) => char <= ' ' || char === '\x7f') ||
    /[~^:?*[\\]/.test(raw);
  if (bad || raw.length > 255) {
    return p.add(name, `${show(raw)} is not a valid git ref`, 'a commit SHA, tag or branch name such as `v1.2.0` or `3f2c1ab`');
  }
  return raw;
}

export function httpUrl(p: Problems, name: string, raw: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return p.add(name, `${show(raw)} is not a URL`, 'an http(s) URL such as `http://localhost:5000/health`');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return p.add(name, `the scheme '${url.protocol}' is not supported`, 'an http:// or https:// URL');
  }
  return url;
}

/** Compose project names: lowercase letters, digits, dashes and underscores, starting with a letter or digit. */
export function projectName(p: Problems, name: string, raw: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(raw)) {
    return p.add(
      name,
      `${show(raw)} is not a valid Compose project name`,
      'lowercase letters, digits, `-` and `_`, starting with a letter or digit',
    );
  }
  return raw;
}

/**
 * The stack name a folder gives, as Compose derives a project name from it: lowercased,
 * only letters, digits, `-` and `_` kept.
 */
export function stackNameFromPath(p: Problems, name: string, path: string): string | undefined {
  const folder = path.split('/').filter(Boolean).at(-1) ?? '';
  const derived = folder
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
  if (!derived) {
    return p.add(name, `it is empty and the folder name ${show(folder)} gives no stack name`, 'a stack name such as `shop`');
  }
  return derived;
}

/** A registry to push images to, with an optional port and path: `registry.example.com:5000/team`. */
export function registry(p: Problems, name: string, raw: string): string | undefined {
  const value = raw.replace(/\/+$/, '');
  if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/.test(value)) {
    return p.add(
      name,
      `${show(raw)} is not a registry`,
      'a registry host with an optional port and path, in lowercase, such as `registry.example.com:5000/team` or `ghcr.io/acme`',
    );
  }
  return value;
}

/** Compose service names, space or newline separated. */
export function serviceNames(p: Problems, name: string, raw: string): string[] {
  const names = raw.split(/\s+/).filter(Boolean);
  for (const service of names) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(service)) {
      p.add(name, `${show(service)} is not a valid service name`, 'Compose service names separated by spaces or newlines');
    }
  }
  return names;
}

/** Non-empty lines, trimmed. */
export function lines(raw: string): string[] {
  return raw
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}
