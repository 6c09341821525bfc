/** SSH settings for the test bed's servers. */
import { parseKnownHosts } from '../../core/ssh/known-hosts.js';
import { SSH_DEFAULTS, type SshEndpoint, type SshSettings } from '../../core/ssh/ssh-settings.js';
import { testbed } from '../bed/testbed.js';

/** Settings for the main test sshd, verified by its known_hosts lines, authenticated by the plain key. */
export function bedSettings(overrides: Partial<SshSettings> = {}): SshSettings {
  const bed = testbed();
  return {
    host: '127.0.0.1',
    port: bed.sshd.port,
    username: bed.user,
    privateKey: bed.keys.ed25519,
    hostKey: { mode: 'verify', knownHosts: parseKnownHosts(bed.sshd.knownHosts), fingerprints: [] },
    connectTimeoutMs: 10_000,
    connectRetries: 0,
    keepaliveIntervalMs: SSH_DEFAULTS.keepaliveIntervalMs,
    ...overrides,
  };
}

/** The jump host's endpoint. */
export function jumpEndpoint(overrides: Partial<SshEndpoint> = {}): SshEndpoint {
  const bed = testbed();
  return {
    host: '127.0.0.1',
    port: bed.jump.port,
    username: bed.user,
    privateKey: bed.keys.ed25519,
    hostKey: { mode: 'verify', knownHosts: parseKnownHosts(bed.jump.knownHosts), fingerprints: [] },
    ...overrides,
  };
}
