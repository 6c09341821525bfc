/** The bundled server on SQLite whose file is deleted while it runs: said at once, never a silent loss. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { freePort, waitFor } from '../bed/system.js';
import { startHttpTarget } from '../helpers/http-target.js';

const SERVER = join(process.cwd(), 'dist/server/index.js');
const TOKEN = 'storage-file-token-0123456789';

describe('an SQLite storage deleted while the server runs', () => {
  it('counts as away (logged, berth_storage_up 0) instead of writing into a file no one will read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-sqlite-gone-'));
    const target = await startHttpTarget({ '/health': (_req, res) => res.end('ok') });
    const port = await freePort();
    writeFileSync(
      join(dir, 'berth.yml'),
      `port: ${port}\napi-token: \${TOKEN}\nstorage: { url: "sqlite:${dir}/data/berth.db" }\nchecks:\n  - { name: web, type: http, url: "${target.url}/health", schedule: "* * * * * *" }\n`,
    );
    const server = spawn(process.execPath, [SERVER, '--config', join(dir, 'berth.yml')], { env: { ...process.env, TOKEN } });
    let output = '';
    server.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const metrics = async (): Promise<string> =>
      (await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } }).catch(() => undefined))?.text() ??
      '';
    try {
      await waitFor('the storage to answer', async () => (await metrics()).includes('berth_storage_up 1'), 20_000);
      for (const file of readdirSync(join(dir, 'data'))) rmSync(join(dir, 'data', file));
      await waitFor('the storage to count as away', async () => (await metrics()).includes('berth_storage_up 0'), 10_000);
      await waitFor('the log to say why', () =>
        output.includes(`The SQLite storage ${dir}/data/berth.db is gone (ENOENT) while the server ran`),
      );
      assert.equal(server.exitCode, null, 'the server goes on (checks, /metrics), as when PostgreSQL is away');
    } finally {
      server.kill('SIGTERM');
      await target.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
