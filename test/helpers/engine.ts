/** Settings from action-style inputs, and a reporter that records what the engine showed. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Reporter } from '../../core/engine/reporter.js';
import type { InputName } from '../../core/settings/input-names.js';
import { parseSettings } from '../../core/settings/parse-settings.js';
import type { Settings } from '../../core/settings/settings.js';
import { testbed } from '../bed/testbed.js';

/** Inputs that reach the test sshd with a verified host key. */
export function bedInputs(extra: Partial<Record<InputName, string>> = {}): Partial<Record<InputName, string>> {
  const bed = testbed();
  return {
    host: '127.0.0.1',
    port: String(bed.sshd.port),
    username: bed.user,
    'private-key': bed.keys.ed25519,
    'known-hosts': bed.sshd.knownHosts,
    'health-timeout': '60',
    ...extra,
  };
}

/** CLI flags that reach the test sshd: the key and a known_hosts file written into the bed's folder. */
export function bedCliFlags(): string[] {
  const bed = testbed();
  const knownHosts = join(bed.dir, 'cli_known_hosts');
  writeFileSync(knownHosts, bed.sshd.knownHosts);
  return [
    '--host',
    '127.0.0.1',
    '--port',
    String(bed.sshd.port),
    '--username',
    bed.user,
    '--private-key-file',
    join(bed.dir, 'id_ed25519'),
    '--known-hosts-file',
    knownHosts,
  ];
}

export function settingsFrom(inputs: Partial<Record<InputName, string>>, defaultRef?: string): Settings {
  return parseSettings((name) => inputs[name] ?? '', { defaultRef });
}

export interface RecordingReporter extends Reporter {
  readonly lines: string[];
  readonly groups: string[];
  text(): string;
}

export function recordingReporter(): RecordingReporter {
  const lines: string[] = [];
  const groups: string[] = [];
  const output: Buffer[] = [];
  const push = (prefix: string) => (message: string) => void lines.push(`${prefix}${message}`);
  return {
    lines,
    groups,
    logger: { debug: () => {}, info: push(''), warn: push('warning: '), error: push('error: ') },
    group: async (title, fn) => {
      groups.push(title);
      return fn();
    },
    output: (chunk) => void output.push(chunk),
    text: () => `${lines.join('\n')}\n${Buffer.concat(output).toString()}`,
  };
}
