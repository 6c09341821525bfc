import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lddFiles } from '../bed/caddy-image.js';

describe('the test bed Caddy image', () => {
  it('copies every library ldd resolves and the loader, not the vDSO', () => {
    const ldd = [
      '\tlinux-vdso.so.1 (0x00007fd896d5a000)',
      '\tlibzstd.so.1 => /lib/x86_64-linux-gnu/libzstd.so.1 (0x00007fd896c8d000)',
      '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007fd896aab000)',
      '\t/lib64/ld-linux-x86-64.so.2 (0x00007fd896d5c000)',
      '',
    ].join('\n');
    assert.deepEqual(lddFiles(ldd), [
      '/lib/x86_64-linux-gnu/libzstd.so.1',
      '/lib/x86_64-linux-gnu/libc.so.6',
      '/lib64/ld-linux-x86-64.so.2',
    ]);
  });
});
