/** The companion server's Compose example is a valid Compose file, and says what it needs when .env lacks it. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const dir = join(process.cwd(), 'examples/server');
const config = (env: Record<string, string>) =>
  spawnSync('docker-compose', ['--file', 'compose.berth.yml', 'config'], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
  });

describe('examples/server/compose.berth.yml', () => {
  it('is a valid Compose file that mounts berth.yml where the image reads it', () => {
    const result = config({ BERTH_API_TOKEN: 'a'.repeat(32), POSTGRES_PASSWORD: 'pw' });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /examples\/server\/berth\.yml[\s\S]*\/etc\/berth\/berth\.yml/);
    assert.match(result.stdout, /APP_DATABASE_URL: postgres:\/\/app:pw@db:5432\/app/);
  });

  it('names the missing secret instead of starting with an empty one', () => {
    const result = config({});
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /set BERTH_API_TOKEN in \.env/);
  });
});
