/** Builds `berth-example/busybox:latest` FROM scratch with Debian's static busybox: no registry needed. */
import { buildScratchImage, imageExists } from './scratch-image.js';
import { which } from './system.js';

export const BASE_IMAGE = 'berth-example/busybox:latest';

export function ensureBusyboxImage(): void {
  if (imageExists(BASE_IMAGE)) return;
  const busybox = which('busybox');
  if (!busybox) throw new Error('busybox not found: apt-get install -y busybox-static');
  buildScratchImage(BASE_IMAGE, { '/bin/busybox': busybox }, ['RUN ["/bin/busybox", "--install", "-s", "/bin"]', 'CMD ["/bin/sh"]']);
}
