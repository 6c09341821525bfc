/**
 * A binary from a Debian package, extracted rather than installed: installing would also start the
 * package's service (a registry on port 5000, Caddy on 80 and 2019) on the machine running the tests.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sh } from './system.js';

/** Where extracted packages are kept, one folder each, once per machine. */
const CACHE = '/var/lib/berth-testbed';

/** `binary` (a path inside the package, such as `usr/bin/caddy`) of package `pkg`, downloaded and extracted once per machine. */
export function debBinary(pkg: string, binary: string): string {
  const dir = join(CACHE, pkg);
  const path = join(dir, binary);
  if (existsSync(path)) return path;
  const download = mkdtempSync(join(tmpdir(), `berth-${pkg}-deb-`));
  try {
    const fetched = (): boolean => spawnSync('apt-get', ['download', pkg], { cwd: download, stdio: 'ignore' }).status === 0;
    if (!fetched()) {
      sh('apt-get', ['update', '-q']);
      if (!fetched()) throw new Error(`test bed: apt-get download ${pkg} failed`);
    }
    const deb = readdirSync(download).find((name) => name.endsWith('.deb'));
    if (!deb) throw new Error(`test bed: apt-get download ${pkg} wrote no .deb`);
    mkdirSync(dir, { recursive: true });
    sh('dpkg-deb', ['-x', join(download, deb), dir]);
    if (!existsSync(path)) throw new Error(`test bed: the package ${pkg} has no ${binary}`);
    return path;
  } finally {
    rmSync(download, { recursive: true, force: true });
  }
}
