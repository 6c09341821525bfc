/** scripts/backup-db.sh and scripts/restore-db.sh against the real PostgreSQL. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createDatabase, dbUrl, fingerprint, query, seed } from '../helpers/postgres.js';

const script = (name: string, args: string[]) =>
  spawnSync('bash', [join(process.cwd(), 'scripts', name), ...args], { encoding: 'utf8', timeout: 120_000 });

describe('backup-db.sh and restore-db.sh', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-scripts-'));
  let source: string;

  before(async () => {
    source = await createDatabase(`berth_sh_${process.pid}`);
    await seed(source, 300);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('backs up and restores into a new database, identical, with the password kept off argv', async () => {
    const result = script('backup-db.sh', ['--name', 'app', '--dir', `${dir}/app`, '--database-url', source]);
    assert.equal(result.status, 0, result.stderr);
    const files = readdirSync(`${dir}/app`);
    const dump = files.find((f) => f.endsWith('.sql.gz')) ?? '';
    assert.match(dump, /^app_\d{8}-\d{6}\.sql\.gz$/);
    assert.ok(files.includes(`${dump}.sha256`));
    const target = await createDatabase(`berth_sh_dst_${process.pid}`);
    const restored = script('restore-db.sh', [`${dir}/app/${dump}`, '--database-url', target]);
    assert.equal(restored.status, 0, restored.stderr);
    assert.deepEqual(await fingerprint(target), await fingerprint(source));
    const again = script('restore-db.sh', [`${dir}/app/${dump}`, '--database-url', target]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /not empty/);
    assert.equal(script('restore-db.sh', [`${dir}/app/${dump}`, '--database-url', target, '--clean']).status, 0);
    assert.deepEqual(await fingerprint(target), await fingerprint(source));
  });

  it('leaves no file when pg_dump fails, and keeps earlier backups', async () => {
    await query(
      source,
      "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'berth_sh') THEN CREATE ROLE berth_sh LOGIN PASSWORD 'right'; END IF; END $$",
    );
    const before = readdirSync(`${dir}/app`).sort();
    const result = script('backup-db.sh', [
      '--name',
      'app',
      '--dir',
      `${dir}/app`,
      '--database-url',
      dbUrl(`berth_sh_${process.pid}`, 'berth_sh', 'wrong'),
    ]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /password authentication failed[\s\S]*no file was left/);
    assert.deepEqual(readdirSync(`${dir}/app`).sort(), before);
  });

  it('applies retention without going below keep-min', () => {
    const retained = `${dir}/retained`;
    spawnSync('mkdir', ['-p', retained]);
    for (const stamp of ['20200101-060000', '20200102-060000', '20200103-060000']) writeFileSync(`${retained}/app_${stamp}.sql.gz`, 'old');
    const result = script('backup-db.sh', [
      '--name',
      'app',
      '--dir',
      retained,
      '--database-url',
      source,
      '--keep-days',
      '7',
      '--keep-min',
      '2',
    ]);
    assert.equal(result.status, 0, result.stderr);
    const left = readdirSync(retained)
      .filter((f) => f.endsWith('.sql.gz'))
      .sort();
    assert.equal(left.length, 2);
    assert.equal(left[0], 'app_20200103-060000.sql.gz');
  });

  it('refuses a damaged file', () => {
    const damaged = `${dir}/damaged.sql.gz`;
    writeFileSync(damaged, 'not gzip');
    writeFileSync(`${damaged}.sha256`, `${'0'.repeat(64)}  damaged.sql.gz\n`);
    const result = script('restore-db.sh', [damaged, '--database-url', dbUrl('postgres')]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /does not match its \.sha256/);
  });
});
