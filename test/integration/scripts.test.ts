/** scripts/backup-db.sh and scripts/restore-db.sh against the real PostgreSQL. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createDatabase, dbUrl, fingerprint, query, seed } from '../helpers/postgres.js';

const script = (name: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync('bash', [join(process.cwd(), 'scripts', name), ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ...env },
  });

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

describe('setup-server.sh', () => {
  const user = 'berth-setup';
  const dir = mkdtempSync(join(tmpdir(), 'berth-setup-'));
  after(() => {
    spawnSync('userdel', ['--remove', user]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the deploy user, authorizes its key, clones the app and prints the host keys; again changes nothing', () => {
    spawnSync('chmod', ['755', dir]);
    const repo = join(dir, 'origin.git');
    spawnSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', repo]);
    const work = join(dir, 'work');
    spawnSync('git', ['clone', '--quiet', repo, work]);
    writeFileSync(join(work, 'docker-compose.yml'), 'services: {}\n');
    spawnSync('git', ['-C', work, 'add', '.']);
    spawnSync('git', ['-C', work, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '--quiet', '-m', 'init']);
    spawnSync('git', ['-C', work, 'push', '--quiet', 'origin', 'HEAD:main']);
    spawnSync('chmod', ['-R', 'a+rX', repo]);
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKvP0sVrmVoS8Zq5gq3m8gdqQIS9cVqKkLrZ4vWb7y1a ci@example';
    const args = [
      '--user',
      user,
      '--repo',
      repo,
      '--path',
      join(dir, 'srv', 'app'),
      '--public-key',
      key,
      '--host',
      'app.example.com',
      '--port',
      '2222',
      '--no-install',
    ];
    // The test's origin is a local repository owned by root, which git refuses to another user
    // unless a global config trusts it (a real origin is a remote URL).
    const gitConfig = join(dir, 'gitconfig');
    writeFileSync(gitConfig, `[safe]\n\tdirectory = ${repo}\n`);
    spawnSync('chmod', ['644', gitConfig]);
    for (let run = 1; run <= 2; run++) {
      const result = script('setup-server.sh', args, { GIT_CONFIG_GLOBAL: gitConfig });
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /^\[app\.example\.com\]:2222 ssh-ed25519 AAAA/m);
      assert.match(result.stdout, /SHA256:/);
    }
    const home = spawnSync('getent', ['passwd', user], { encoding: 'utf8' }).stdout.split(':')[5] ?? '';
    assert.equal(readFileSync(join(home, '.ssh/authorized_keys'), 'utf8'), `${key}\n`);
    assert.match(spawnSync('id', ['-nG', user], { encoding: 'utf8' }).stdout, /\bdocker\b/);
    const owner = spawnSync('stat', ['-c', '%U', join(dir, 'srv', 'app', '.git')], { encoding: 'utf8' }).stdout.trim();
    assert.equal(owner, user);
  });

  it('refuses bad input before changing anything', () => {
    const result = script('setup-server.sh', ['--user', 'Bad User', '--repo', 'x', '--path', 'relative']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--user/);
  });
});
