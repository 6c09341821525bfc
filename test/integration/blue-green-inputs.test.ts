/**
 * Bad blue-green inputs through the CLI bundle, the way a user runs it: exit code 2, every problem
 * named at once, and not even a TCP connection to the server. (The parse rules themselves:
 * test/unit/strategy-settings.test.ts.)
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const CLI = join(process.cwd(), 'dist/cli/index.js');

describe('bad blue-green inputs through the CLI bundle', () => {
  it('lists every problem, exits 2, and never connects', async () => {
    let connections = 0;
    const server = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const args = [
        'deploy',
        `--host=127.0.0.1:${port}`,
        '--username=deploy',
        '--password=secret',
        '--insecure-skip-host-key-check=true',
        '--path=/srv/app',
        '--ref=main',
        '--strategy=blue-green',
        '--public-port=70000',
        '--colour-ports=5001 5001',
        '--proxy-image=--privileged',
        '--web-service=a b',
        '--migrate-command=npm run migrate',
      ];
      const run = await promisify(execFile)(process.execPath, [CLI, ...args], {
        env: { PATH: process.env.PATH ?? '' },
        timeout: 30_000,
      }).then(
        () => assert.fail('expected exit code 2'),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      assert.equal(run.code, 2, run.stderr);
      const lines = run.stderr.trim().split('\n');
      assert.match(lines[0] ?? '', /^berth: Invalid input 'public-port': 70000 is out of range/);
      assert.match(run.stderr, /^Invalid input 'colour-ports': both colours are port 5001\./m);
      assert.match(run.stderr, /^Invalid input 'proxy-image': "--privileged" is not an image reference\./m);
      assert.match(run.stderr, /^Invalid input 'web-service': "a b" names 2 services\./m);
      assert.match(run.stderr, /Nothing was run/);
      assert.equal(run.stdout, '');
      // A connection made before the exit would be accepted by now.
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(connections, 0);
    } finally {
      server.close();
    }
  });
});
