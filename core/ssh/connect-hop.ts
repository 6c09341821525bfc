/** One SSH hop: TCP (or a forwarded stream), host key check, authentication, with typed errors. */
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import { AuthenticationError, BerthError, HostUnreachableError, TimeoutError } from '../errors.js';
import { preferredHostKeyAlgorithms } from './host-key.js';
import { parsePrivateKey } from './private-key.js';
import type { SshEndpoint } from './ssh-settings.js';
import { expectedKeyTypes, verifyHostKey } from './verify-host-key.js';

const { Client } = ssh2;
export type SshClient = InstanceType<typeof Client>;

export interface HopOptions {
  readonly label: string;
  readonly timeoutMs: number;
  readonly keepaliveIntervalMs: number;
  /** A stream to run the SSH protocol over (a jump host's forwarded channel). */
  readonly sock?: Duplex;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

/** Authentication methods in a fixed order: key, then password, then keyboard-interactive with the password. */
function authMethods(endpoint: SshEndpoint, label: string): ssh2.AnyAuthMethod[] {
  const methods: ssh2.AnyAuthMethod[] = [];
  const { username } = endpoint;
  if (endpoint.privateKey !== undefined) {
    methods.push({
      type: 'publickey',
      username,
      key: parsePrivateKey(endpoint.privateKey, endpoint.passphrase, `private key for ${label}`),
    });
  }
  if (endpoint.password !== undefined) {
    const password = endpoint.password;
    methods.push({ type: 'password', username, password });
    methods.push({
      type: 'keyboard-interactive',
      username,
      prompt: (_name: string, _instructions: string, _lang: string, prompts: unknown[], finish: (answers: string[]) => void) =>
        finish(prompts.map(() => password)),
    });
  }
  if (methods.length === 0) {
    throw new AuthenticationError(`No credentials for ${label}.`, 'Give a private key, a password, or both.');
  }
  return methods;
}

/** Connects and authenticates one hop. Rejects with a typed error; never leaves a socket open. */
export function connectHop(endpoint: SshEndpoint, options: HopOptions): Promise<SshClient> {
  const { host, port, username } = endpoint;
  const label = options.label;
  const methods = authMethods(endpoint, label);
  return new Promise((resolve, reject) => {
    const client = new Client();
    let hostKeyProblem: BerthError | undefined;
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      client.end();
      reject(error);
    };
    client.once('ready', () => {
      settled = true;
      resolve(client);
    });
    client.on('error', (error: Error & { level?: string; code?: string }) => {
      if (hostKeyProblem) return fail(hostKeyProblem);
      if (error.level === 'client-authentication') {
        return fail(
          new AuthenticationError(
            `Authentication as '${username}' on ${label} was refused (tried: ${[...new Set(methods.map((m) => m.type))].join(', ')}).`,
            'Check the username, that the public key is in ~/.ssh/authorized_keys on the server, and the password.',
          ),
        );
      }
      if (error.level === 'client-timeout') {
        return fail(
          new TimeoutError(
            `Connecting to ${label} timed out after ${options.timeoutMs / 1000}s.`,
            'Check the host, port and firewall, or raise the connect timeout.',
          ),
        );
      }
      if (error.code && UNREACHABLE.has(error.code)) {
        return fail(
          new HostUnreachableError(
            `Cannot reach ${label}: ${error.code} (${error.message}).`,
            'Check the host and port, and that sshd is running and reachable from here.',
          ),
        );
      }
      fail(new BerthError(`SSH connection to ${label} failed: ${error.message}.`));
    });
    client.once('close', () => fail(new HostUnreachableError(`The connection to ${label} closed during the handshake.`)));
    let next = 0;
    const config: ssh2.ConnectConfig = {
      host,
      port,
      username,
      sock: options.sock as ssh2.ConnectConfig['sock'],
      readyTimeout: options.timeoutMs,
      keepaliveInterval: options.keepaliveIntervalMs,
      keepaliveCountMax: 4,
      algorithms: {
        serverHostKey: preferredHostKeyAlgorithms(expectedKeyTypes(endpoint.hostKey, host, port)) as ssh2.ServerHostKeyAlgorithm[],
      },
      hostVerifier: (key: Buffer) => {
        hostKeyProblem = verifyHostKey(endpoint.hostKey, host, port, key);
        return hostKeyProblem === undefined;
      },
      authHandler: (_methodsLeft, _partial, callback) => {
        const method = methods[next++];
        // ssh2 takes `false` to mean "no more methods"; its types omit it.
        callback(method ?? (false as unknown as ssh2.AnyAuthMethod));
      },
    };
    try {
      client.connect(config);
    } catch (error) {
      fail(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
