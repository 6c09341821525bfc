/** Images built FROM scratch out of files of this machine: the test bed has no registry to pull a base image from. */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export function imageExists(tag: string): boolean {
  return spawnSync('docker', ['image', 'inspect', tag], { stdio: 'ignore' }).status === 0;
}

/**
 * Builds `tag` FROM scratch: each of `files` (path in the image → path here; links followed, so a
 * library's link name holds the library itself) is copied in, then the Dockerfile's `steps` run.
 */
export function buildScratchImage(tag: string, files: Readonly<Record<string, string>>, steps: readonly string[]): void {
  const dir = mkdtempSync(join(tmpdir(), 'berth-image-'));
  try {
    for (const [inImage, here] of Object.entries(files)) {
      const target = join(dir, 'rootfs', inImage);
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(here, target);
    }
    writeFileSync(join(dir, 'Dockerfile'), ['FROM scratch', 'COPY rootfs/ /', ...steps, ''].join('\n'));
    const result = spawnSync('docker', ['build', '--quiet', '--tag', tag, dir], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`building ${tag} failed: ${result.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
