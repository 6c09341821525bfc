/** Builds `berth-example/busybox:latest` FROM scratch with Debian's static busybox: no registry needed. */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { which } from './system.js';

export const BASE_IMAGE = 'berth-example/busybox:latest';

export function ensureBusyboxImage(): void {
  if (spawnSync('docker', ['image', 'inspect', BASE_IMAGE], { stdio: 'ignore' }).status === 0) return;
  const busybox = which('busybox');
  if (!busybox) throw new Error('busybox not found: apt-get install -y busybox-static');
  const dir = mkdtempSync(join(tmpdir(), 'berth-busybox-'));
  try {
    copyFileSync(busybox, join(dir, 'busybox'));
    writeFileSync(
      join(dir, 'Dockerfile'),
      'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nCMD ["/bin/sh"]\n',
    );
    const result = spawnSync('docker', ['build', '--quiet', '--tag', BASE_IMAGE, dir], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`building ${BASE_IMAGE} failed: ${result.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
