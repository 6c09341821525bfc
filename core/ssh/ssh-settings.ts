/** Typed, validated SSH settings: what every adapter turns its inputs into before connecting. */
import type { KnownHostEntry } from './known-hosts.js';

/** How the server's host key is checked. There is no default that trusts any host. */
export type HostKeyCheck =
  | {
      readonly mode: 'verify';
      /** Entries from known_hosts lines. */
      readonly knownHosts: readonly KnownHostEntry[];
      /** Accepted `SHA256:…` fingerprints. */
      readonly fingerprints: readonly string[];
    }
  | { readonly mode: 'insecure-skip' };

export interface SshEndpoint {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  /** Private key text (OpenSSH or PEM). Kept in memory only. */
  readonly privateKey?: string | undefined;
  readonly passphrase?: string | undefined;
  readonly password?: string | undefined;
  readonly hostKey: HostKeyCheck;
}

export interface SshSettings extends SshEndpoint {
  /** A jump host the connection goes through, with its own credentials and host key check. */
  readonly jump?: SshEndpoint | undefined;
  /** Limit for TCP connect, handshake and authentication of each hop. */
  readonly connectTimeoutMs: number;
  /** Connection attempts after the first, on unreachable hosts and timeouts only. */
  readonly connectRetries: number;
  /** Keepalive probes keep long builds' connections open through NAT and firewalls. */
  readonly keepaliveIntervalMs: number;
}

export const SSH_DEFAULTS = {
  port: 22,
  connectTimeoutMs: 20_000,
  connectRetries: 3,
  keepaliveIntervalMs: 15_000,
} as const;
