/**
 * Sets up the real-server test bed: Debian packages, a test user with keys, three sshds
 * (server, jump host, and a third host for runs on several hosts), the Docker engine, the busybox base image
 * and the Caddy proxy image. Used by the tests, the demo and the benchmark; `stop()` ends what it started.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureBusyboxImage } from './busybox-image.js';
import { ensureCaddyImage } from './caddy-image.js';
import { ensureDockerEngine } from './docker.js';
import { startPostgres } from './postgres.js';
import { ensureTestUser, startSshd, TEST_USER } from './sshd.js';
import { debInstalled, ensurePackages, sh } from './system.js';
import type { Testbed } from './testbed.js';

const PACKAGES = [
  { binary: 'sshd', pkg: 'openssh-server' },
  { binary: 'ssh-keygen', pkg: 'openssh-client' },
  { binary: 'git', pkg: 'git' },
  { binary: 'dockerd', pkg: 'docker.io' },
  { binary: 'docker-compose', pkg: 'docker-compose' },
  // FROM scratch images need the static build, not Debian's dynamically linked busybox.
  { binary: 'busybox', pkg: 'busybox-static', present: () => debInstalled('busybox-static') },
  { binary: 'pg_dump', pkg: 'postgresql-client' },
  { binary: 'psql', pkg: 'postgresql-client' },
  // The status page is tested in a real browser: Debian's Chromium, driven by playwright-core.
  { binary: 'chromium', pkg: 'chromium' },
  { binary: 'initdb', pkg: 'postgresql', present: () => process.env.BERTH_TEST_POSTGRES_URL !== undefined || debInstalled('postgresql') },
];

export interface RunningTestbed {
  readonly bed: Testbed;
  /** The JSON file tests read through BERTH_TESTBED. */
  readonly file: string;
  stop(): void;
}

/**
 * The test user's password, the same for every bed on this machine: two test runs at once
 * (two checkouts, a benchmark beside the tests) must not change it under each other.
 */
function testUserPassword(): string {
  const file = '/var/lib/berth-testbed/password';
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const password = randomBytes(12).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

function keygen(dir: string, name: string, args: string[]): string {
  const file = join(dir, name);
  sh('ssh-keygen', ['-q', ...args, '-C', `berth-test-${name}`, '-f', file]);
  return file;
}

export async function startTestbed(): Promise<RunningTestbed> {
  if (process.getuid?.() !== 0) {
    throw new Error('The test bed starts sshd and dockerd and creates a test user, so it runs as root (as CI does).');
  }
  ensurePackages(PACKAGES);
  const dir = mkdtempSync(join(tmpdir(), 'berth-bed-'));
  chmodSync(dir, 0o755); // sshd reads authorized_keys as the test user
  const stops: Array<() => void> = [];
  const stop = (): void => {
    for (const fn of stops.reverse()) fn();
    if (!process.env.BERTH_KEEP_TESTBED) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const password = testUserPassword();
    const passphrase = 'correct horse battery';
    const home = ensureTestUser(password);
    const ed25519 = keygen(dir, 'id_ed25519', ['-t', 'ed25519', '-N', '']);
    const encrypted = keygen(dir, 'id_encrypted', ['-t', 'ed25519', '-N', passphrase]);
    const rsaPem = keygen(dir, 'id_rsa_pem', ['-t', 'rsa', '-b', '3072', '-m', 'PEM', '-N', '']);
    const unknown = keygen(dir, 'id_unknown', ['-t', 'ed25519', '-N', '']);
    const authorized = [ed25519, encrypted, rsaPem].map((key) => readFileSync(`${key}.pub`, 'utf8')).join('');
    const sshd = await startSshd(join(dir, 'sshd'), authorized);
    stops.push(sshd.stop);
    const jump = await startSshd(join(dir, 'jump'), authorized);
    stops.push(jump.stop);
    // A third host for runs on several hosts, reached over IPv6 too.
    const third = await startSshd(join(dir, 'third'), authorized, '', ['127.0.0.1', '::1']);
    stops.push(third.stop);
    stops.push(await ensureDockerEngine(join(dir, 'dockerd.log')));
    ensureBusyboxImage();
    ensureCaddyImage();
    const postgres = await startPostgres(join(dir, 'postgres'), randomBytes(12).toString('base64url'));
    stops.push(postgres.stop);
    const bed: Testbed = {
      dir,
      user: TEST_USER,
      home,
      password,
      keys: {
        ed25519: readFileSync(ed25519, 'utf8'),
        encrypted: readFileSync(encrypted, 'utf8'),
        passphrase,
        rsaPem: readFileSync(rsaPem, 'utf8'),
        unknown: readFileSync(unknown, 'utf8'),
      },
      sshd: { port: sshd.port, knownHosts: sshd.knownHosts, fingerprint: sshd.ed25519Fingerprint, logFile: sshd.logFile },
      jump: { port: jump.port, knownHosts: jump.knownHosts, fingerprint: jump.ed25519Fingerprint, logFile: jump.logFile },
      third: { port: third.port, knownHosts: third.knownHosts, fingerprint: third.ed25519Fingerprint, logFile: third.logFile },
      docker: true,
      postgresUrl: postgres.url,
    };
    const file = join(dir, 'testbed.json');
    writeFileSync(file, JSON.stringify(bed, null, 2), { mode: 0o600 });
    process.env.BERTH_TESTBED = file;
    return { bed, file, stop };
  } catch (error) {
    stop();
    throw error;
  }
}
