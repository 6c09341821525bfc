/**
 * The `host` input as a list: one host per line, or several on a line separated by commas. Each is
 * `host`, `host:port`, `[IPv6]` or `[IPv6]:port` (a bare IPv6 address takes no port). A line that
 * names one host may go on with `key=value` settings that differ on that host:
 *
 *     web1.example.com
 *     web2.example.com:2222 path=/srv/b project-name=b health-url=http://localhost:5001/health username=deploy2
 */
import { Inputs } from './input-names.js';
import * as v from './validators.js';

/** The inputs a host line may set for its host, by the key it uses (the input's own name). */
export const HOST_SETTINGS = [Inputs.username, Inputs.path, Inputs.projectName, Inputs.healthUrl] as const;

/** What a host line sets for its host instead of the inputs, parsed as the inputs are. */
export interface HostOverrides {
  readonly username?: string;
  readonly path?: string;
  readonly projectName?: string;
  readonly healthUrl?: URL;
}

export interface HostLine {
  /** The line of `host` it is on, from 1. */
  readonly line: number;
  readonly host: string;
  readonly port: number;
  readonly overrides: HostOverrides;
}

const FORM = 'one host per line (`host`, `host:port` or `[IPv6]:port`, then optional key=value settings), or hosts separated by commas';

/** The lines of `host`, each host checked; every problem goes to `p`. */
export function parseHostList(p: v.Problems, text: string, defaultPort: number | undefined): HostLine[] {
  const hosts: HostLine[] = [];
  text
    .trim()
    .split(/\r?\n/)
    .forEach((raw, index) => {
      const line = index + 1;
      if (!raw.trim()) return void p.add(Inputs.host, `line ${line} is empty`, FORM);
      for (const host of parseLine(p, raw.trim(), line, defaultPort)) hosts.push({ ...host, line });
    });
  const seen = new Map<string, number>();
  for (const { host, port, line } of hosts) {
    const key = `${host.toLowerCase()}:${port}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, line);
    else {
      const where = first === line ? `on line ${line}` : `lines ${first} and ${line}`;
      p.add(Inputs.host, `${hostLabel(host, port)} is listed twice (${where})`, 'each host once');
    }
  }
  return hosts;
}

/** How a problem names a setting of a host line: input 'host' line 2 'health-url'. */
export function hostSettingName(line: number, key: string): string {
  return `${Inputs.host}' line ${line} '${key}`;
}

/** How a host is named in logs, outputs and the summary: `web1.example.com`, `web2:2222`, `[2001:db8::7]:2222`. */
export function hostLabel(host: string, port: number): string {
  if (port === 22) return host;
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function parseLine(p: v.Problems, text: string, line: number, defaultPort: number | undefined): Array<Omit<HostLine, 'line'>> {
  const tokens = text.split(/\s+/);
  const pairs = tokens.filter((token) => token.includes('='));
  const entries = tokens
    .filter((token) => !token.includes('='))
    .join(' ')
    .split(',')
    .map((entry) => entry.trim());
  if (pairs.length > 0 && entries.length !== 1) {
    p.add(Inputs.host, `line ${line} has settings but names ${entries.length} hosts`, 'settings only on a line that names one host');
    return [];
  }
  if (entries.length === 1 && entries[0] === '') {
    p.add(Inputs.host, `line ${line} names no host before its settings`, FORM);
    return [];
  }
  const overrides = parseOverrides(p, pairs, line);
  if (entries.includes('')) p.add(Inputs.host, `line ${line} has an empty entry between commas`, FORM);
  const hosts: Array<Omit<HostLine, 'line'>> = [];
  for (const entry of entries.filter(Boolean)) {
    const address = parseAddress(p, entry, defaultPort);
    if (address) hosts.push({ ...address, overrides });
  }
  return hosts;
}

/** `host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 address; the port defaults to the `port` input. */
function parseAddress(p: v.Problems, entry: string, defaultPort: number | undefined): { host: string; port: number } | undefined {
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(entry);
  const colons = entry.split(':').length - 1;
  const [hostText, portText] = bracketed ? [bracketed[1] ?? '', bracketed[2]] : colons === 1 ? entry.split(':') : [entry, undefined];
  const host = v.host(p, Inputs.host, hostText ?? '');
  const port = portText === undefined ? defaultPort : v.integer(p, `${Inputs.host}' port of '${entry}`, portText, 1, 65535);
  return host !== undefined && port !== undefined ? { host, port } : undefined;
}

/** `key=value` settings of one line: known keys, each value checked as its input would be. */
function parseOverrides(p: v.Problems, pairs: readonly string[], line: number): HostOverrides {
  const overrides: { -readonly [K in keyof HostOverrides]: HostOverrides[K] } = {};
  const seen = new Set<string>();
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const key = pair.slice(0, at);
    const value = pair.slice(at + 1);
    const name = hostSettingName(line, key);
    if (!(HOST_SETTINGS as readonly string[]).includes(key)) {
      p.add(Inputs.host, `line ${line} sets ${v.show(key)}, which a host line cannot set`, `settings from: ${HOST_SETTINGS.join(', ')}`);
    } else if (seen.has(key)) {
      p.add(name, 'it is set twice', 'each setting once on a line');
    } else if (!value) {
      p.add(name, 'it is empty', `a value after '${key}='`);
    } else {
      seen.add(key);
      if (key === Inputs.username) overrides.username = v.username(p, name, value);
      if (key === Inputs.path) overrides.path = v.absolutePath(p, name, value);
      if (key === Inputs.projectName) overrides.projectName = v.projectName(p, name, value);
      if (key === Inputs.healthUrl) overrides.healthUrl = v.httpUrl(p, name, value);
    }
  }
  return overrides;
}
