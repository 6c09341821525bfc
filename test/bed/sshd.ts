/** Starts private sshd instances on 127.0.0.1 with generated host keys, for a test user that can run docker. */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort, sh, waitFor, which } from './system.js';

export const TEST_USER = 'berth-test';

export interface Sshd {
  readonly port: number;
  /** `ssh-keyscan`-style lines for each host key and address, `[127.0.0.1]:port type key`. */
  readonly knownHosts: string;
  /** `SHA256:…` of the ed25519 host key. */
  readonly ed25519Fingerprint: string;
  readonly logFile: string;
  stop(): void;
}

/** Creates the test user (once), with a known password and membership of the docker group. */
export function ensureTestUser(password: string): string {
  try {
    sh('id', [TEST_USER]);
  } catch {
    sh('useradd', ['--create-home', '--shell', '/bin/sh', TEST_USER]);
  }
  try {
    sh('getent', ['group', 'docker']);
    sh('usermod', ['-aG', 'docker', TEST_USER]);
  } catch {
    // no docker group yet: docker tests will say so
  }
  sh('chpasswd', [], { input: `${TEST_USER}:${password}\n` });
  return sh('getent', ['passwd', TEST_USER]).split(':')[5] ?? `/home/${TEST_USER}`;
}

function fingerprintOf(pubFile: string): string {
  return sh('ssh-keygen', ['-lf', pubFile]).split(' ')[1] ?? '';
}

/** Starts one sshd on `addresses` (127.0.0.1 unless told). `authorizedKeys` are public key lines for the test user. */
export async function startSshd(dir: string, authorizedKeys: string, extraConfig = '', addresses = ['127.0.0.1']): Promise<Sshd> {
  mkdirSync(dir, { recursive: true });
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const port = await freePort();
  const keys: string[] = [];
  for (const type of ['ed25519', 'ecdsa', 'rsa']) {
    const file = join(dir, `host_${type}`);
    sh('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', file]);
    keys.push(file);
  }
  const authFile = join(dir, 'authorized_keys');
  writeFileSync(authFile, authorizedKeys);
  chmodSync(authFile, 0o644);
  chmodSync(dir, 0o755);
  const logFile = join(dir, 'sshd.log');
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      ...addresses.map((address) => `ListenAddress ${address}`),
      ...keys.map((key) => `HostKey ${key}`),
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authFile}`,
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'PermitRootLogin no',
      `AllowUsers ${TEST_USER}`,
      'AllowTcpForwarding yes',
      'MaxStartups 100',
      'MaxSessions 100',
      'LogLevel DEBUG1',
      extraConfig,
    ].join('\n'),
  );
  const sshd = which('sshd');
  if (!sshd) throw new Error('sshd not found');
  const child: ChildProcess = spawn(sshd, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  const log: Buffer[] = [];
  const logStream = createWriteStream(logFile);
  logStream.on('error', () => {}); // the bed's folder may be gone while sshd says goodbye
  child.stderr?.on('data', (chunk: Buffer) => {
    if (log.length < 1000) log.push(chunk);
    logStream.write(chunk);
  });
  await waitFor(`sshd on port ${port}`, () => canConnect(port), 15_000).catch((error) => {
    throw new Error(`${error.message}\n${Buffer.concat(log).toString()}`);
  });
  const knownHosts = keys.flatMap((key) => {
    const [type, blob] = readFileSync(`${key}.pub`, 'utf8').trim().split(' ');
    return addresses.map((address) => `[${address}]:${port} ${type} ${blob}`);
  });
  return {
    port,
    knownHosts: `${knownHosts.join('\n')}\n`,
    ed25519Fingerprint: fingerprintOf(`${keys[0]}.pub`),
    logFile,
    stop: () => child.kill('SIGTERM'),
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
