/**
 * `berth-test/caddy:2.6`, the proxy image of the blue-green tests: Debian's Caddy 2.6 in an image built
 * FROM scratch. The binary is the machine's own when Caddy is installed, else extracted from the package
 * (installing it would start a Caddy service on ports 80 and 2019). Debian links it against libc and
 * libzstd, so the libraries and the loader `ldd` lists go in at the same paths.
 */
import { debBinary } from './deb-binary.js';
import { buildScratchImage, imageExists } from './scratch-image.js';
import { sh, which } from './system.js';

export const CADDY_IMAGE = 'berth-test/caddy:2.6';

/** The files `ldd` lists for a binary: libraries by the path they resolve to, and the loader. */
export function lddFiles(lddOutput: string): string[] {
  const files = lddOutput.split('\n').flatMap((line) => {
    const resolved = /=>\s*(\/\S+)/.exec(line)?.[1];
    const loader = /^\s*(\/\S+)/.exec(line)?.[1];
    return resolved ?? loader ?? [];
  });
  return [...new Set(files)];
}

export function ensureCaddyImage(): void {
  if (imageExists(CADDY_IMAGE)) return;
  const caddy = which('caddy') ?? debBinary('caddy', 'usr/bin/caddy');
  const libraries = lddFiles(sh('ldd', [caddy]));
  const files = Object.fromEntries([['/usr/bin/caddy', caddy], ...libraries.map((path) => [path, path])]);
  buildScratchImage(CADDY_IMAGE, files, [
    // Where `caddy run --resume` keeps its autosaved config and its certificates' state.
    'ENV XDG_CONFIG_HOME=/config XDG_DATA_HOME=/data',
    'CMD ["caddy", "run", "--resume"]',
  ]);
}
