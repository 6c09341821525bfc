/** Small helpers for the test bed: run a command, find a binary, install Debian packages as root. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

/** Runs a command and returns stdout; throws with stderr on failure. */
export function sh(file: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const result = spawnSync(file, args, { encoding: 'utf8', input: options.input, env: options.env ?? process.env });
  if (result.status !== 0) {
    throw new Error(`${file} ${args.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr || result.error?.message}`);
  }
  return result.stdout;
}

export function which(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin'])) {
    if (dir && existsSync(`${dir}/${binary}`)) return `${dir}/${binary}`;
  }
  return undefined;
}

let aptUpdated = false;

/**
 * Installs the Debian packages whose binaries are missing. Needs root and apt-get;
 * without them it stops with the list of what to install instead of skipping tests.
 */
export function ensurePackages(needs: ReadonlyArray<{ binary: string; pkg: string; present?: () => boolean }>): void {
  const missing = needs.filter((need) => (need.present ? !need.present() : !which(need.binary)));
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map((need) => need.pkg))];
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !which('apt-get')) {
    throw new Error(
      `The test bed needs ${missing.map((m) => m.binary).join(', ')}. Install them as root: apt-get install -y ${pkgs.join(' ')}`,
    );
  }
  console.error(`test bed: installing ${pkgs.join(' ')} …`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    execFileSync('apt-get', ['update', '-q'], { stdio: 'ignore', env });
    aptUpdated = true;
  }
  execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...pkgs], { stdio: ['ignore', 'ignore', 'inherit'], env });
}

/** Whether a Debian package is installed. */
export function debInstalled(pkg: string): boolean {
  return spawnSync('dpkg-query', ['-W', '-f', '${Status}', pkg], { encoding: 'utf8' }).stdout.includes('install ok installed');
}

/** A TCP port that is free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Polls until `check` is true or the deadline passes. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`test bed: timed out waiting for ${what}`);
}
