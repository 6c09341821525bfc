/** scripts/backup-db.sh and scripts/restore-db.sh against the real PostgreSQL. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { acquireLock } from '../../core/release/deploy-lock.js';
import { parseKnownHosts } from '../../core/ssh/known-hosts.js';
import { connectSsh } from '../../core/ssh/ssh-connection.js';
import { startSshd } from '../bed/sshd.js';
import { freePort } from '../bed/system.js';
import { testbed } from '../bed/testbed.js';
import { createDatabase, dbUrl, fingerprint, query, seed } from '../helpers/postgres.js';
import { bedSettings } from '../helpers/ssh.js';

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
  const repo = join(dir, 'origin.git');
  const gitConfig = join(dir, 'gitconfig');
  // A throwaway sshd config in Debian's layout (drop-ins first): the machine's own is never touched.
  const etcSsh = join(dir, 'etc-ssh');
  const sshdConfig = join(etcSsh, 'sshd_config');
  const dropIn = join(etcSsh, 'sshd_config.d', '10-berth-client-alive.conf');
  const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKvP0sVrmVoS8Zq5gq3m8gdqQIS9cVqKkLrZ4vWb7y1a ci@example';
  const setup = (path: string, config = sshdConfig) =>
    script(
      'setup-server.sh',
      ['--user', user, '--repo', repo, '--path', path, '--public-key', key, '--host', 'app.example.com', '--port', '2222'].concat([
        '--no-install',
        '--sshd-config',
        config,
      ]),
      // The test's origin is a local repository owned by root, which git refuses to another user
      // unless a global config trusts it (a real origin is a remote URL).
      { GIT_CONFIG_GLOBAL: gitConfig },
    );
  const ownerAndMode = (path: string) => spawnSync('stat', ['-c', '%U %a', path], { encoding: 'utf8' }).stdout.trim();

  before(() => {
    spawnSync('chmod', ['755', dir]);
    spawnSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', repo]);
    const work = join(dir, 'work');
    spawnSync('git', ['clone', '--quiet', repo, work]);
    writeFileSync(join(work, 'docker-compose.yml'), 'services: {}\n');
    spawnSync('git', ['-C', work, 'add', '.']);
    spawnSync('git', ['-C', work, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '--quiet', '-m', 'init']);
    spawnSync('git', ['-C', work, 'push', '--quiet', 'origin', 'HEAD:main']);
    spawnSync('chmod', ['-R', 'a+rX', repo]);
    writeFileSync(gitConfig, `[safe]\n\tdirectory = ${repo}\n`);
    spawnSync('chmod', ['644', gitConfig]);
    mkdirSync(etcSsh);
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(etcSsh, 'host_ed25519')]);
    writeFileSync(sshdConfig, `Include ${etcSsh}/sshd_config.d/*.conf\nHostKey ${etcSsh}/host_ed25519\nClientAliveInterval 0\n`);
  });
  after(() => {
    spawnSync('userdel', ['--remove', user]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the deploy user, authorizes its key, clones the app and prints the host keys; again changes nothing', () => {
    // An existing parent (think /srv, or / for --path /app) belongs to root, with a mode of its own.
    mkdirSync(join(dir, 'srv'), { mode: 0o711 });
    spawnSync('chmod', ['711', join(dir, 'srv')]);
    for (let run = 1; run <= 2; run++) {
      const result = setup(join(dir, 'srv', 'app'));
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /^\[app\.example\.com\]:2222 ssh-ed25519 AAAA/m);
      assert.match(result.stdout, /SHA256:/);
      assert.equal(ownerAndMode(join(dir, 'srv')), 'root 711', 'the existing parent is never changed');
      assert.equal(ownerAndMode(dir), 'root 755');
    }
    const home = spawnSync('getent', ['passwd', user], { encoding: 'utf8' }).stdout.split(':')[5] ?? '';
    assert.equal(readFileSync(join(home, '.ssh/authorized_keys'), 'utf8'), `${key}\n`);
    assert.match(spawnSync('id', ['-nG', user], { encoding: 'utf8' }).stdout, /\bdocker\b/);
    assert.equal(ownerAndMode(join(dir, 'srv', 'app', '.git')).split(' ')[0], user);
  });

  it('creates a missing parent for root, and gives the deploy user only the app folder', () => {
    const result = setup(join(dir, 'new', 'deeper', 'app'));
    assert.equal(result.status, 0, result.stderr);
    assert.equal(ownerAndMode(join(dir, 'new')), 'root 755');
    assert.equal(ownerAndMode(join(dir, 'new', 'deeper')), 'root 755');
    assert.equal(ownerAndMode(join(dir, 'new', 'deeper', 'app')).split(' ')[0], user);
  });

  it("turns on sshd's client keepalive: a drop-in where the config reads them, else at the top of the config", () => {
    assert.equal(readFileSync(dropIn, 'utf8').replace(/^#.*\n/gm, ''), 'ClientAliveInterval 5\nClientAliveCountMax 3\n');
    assert.match(readFileSync(sshdConfig, 'utf8'), /^ClientAliveInterval 0$/m, 'the main file is left alone');
    const effective = spawnSync('sshd', ['-T', '-f', sshdConfig], { encoding: 'utf8' }).stdout;
    assert.match(effective, /^clientaliveinterval 5$/m);
    assert.match(effective, /^clientalivecountmax 3$/m);
    // A config without drop-ins, ending in a Match block: the settings go first, outside the block.
    const plain = join(etcSsh, 'plain_config');
    writeFileSync(plain, `HostKey ${etcSsh}/host_ed25519\nMatch User nobody\n  X11Forwarding no\n`);
    const result = setup(join(dir, 'srv', 'app'), plain);
    assert.equal(result.status, 0, result.stderr);
    assert.match(readFileSync(plain, 'utf8'), /^# Added by berth[^\n]*\nClientAliveInterval 5\nClientAliveCountMax 3\n\nHostKey /);
    assert.equal(setup(join(dir, 'srv', 'app'), plain).status, 0);
    assert.equal(readFileSync(plain, 'utf8').match(/ClientAliveInterval/g)?.length, 1, 'a second run adds nothing');
  });

  it("releases a vanished runner's deploy lock within a minute, with those settings", async () => {
    const bed = testbed();
    const sshd = await startSshd(join(dir, 'keepalive-sshd'), readFileSync(join(bed.dir, 'id_ed25519.pub'), 'utf8'), `Include ${dropIn}`);
    const proxy = await freezableProxy(sshd.port);
    const lockFile = `${bed.home}/berth-tests/keepalive-${process.pid}/lock`;
    const knownHosts = sshd.knownHosts.replaceAll(`[127.0.0.1]:${sshd.port}`, `[127.0.0.1]:${proxy.port}`);
    // The runner's side sends no keepalives of its own: it simply goes quiet, as a dead VM does.
    const runner = await connectSsh(
      bedSettings({
        port: proxy.port,
        hostKey: { mode: 'verify', knownHosts: parseKnownHosts(knownHosts), fingerprints: [] },
        keepaliveIntervalMs: 0,
      }),
    );
    const next = await connectSsh(bedSettings());
    try {
      await acquireLock(runner, lockFile, { timeoutMs: 5000, owner: 'a runner about to vanish' });
      proxy.freeze(); // packets stop both ways; no FIN, no RST: sshd sees a silent client
      await assert.rejects(acquireLock(next, lockFile, { timeoutMs: 0, owner: 'next run' }), /a runner about to vanish/);
      const release = await acquireLock(next, lockFile, { timeoutMs: 60_000, owner: 'next run' });
      await release();
    } finally {
      proxy.close();
      await Promise.all([runner.close(), next.close()]);
      sshd.stop();
    }
  });

  it('refuses bad input before changing anything', () => {
    const result = script('setup-server.sh', ['--user', 'Bad User', '--repo', 'x', '--path', 'relative']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--user/);
  });
});

/** A TCP relay to a port that can go silent: after `freeze()` nothing passes and nothing is closed. */
async function freezableProxy(target: number): Promise<{ port: number; freeze(): void; close(): void }> {
  let frozen = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect({ host: '127.0.0.1', port: target });
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(from);
      from.on('data', (chunk: Buffer) => (frozen ? undefined : to.write(chunk)));
      from.on('error', () => {});
      from.on('close', () => (frozen ? undefined : to.destroy()));
    }
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    freeze: () => void (frozen = true),
    close: () => {
      server.close();
      for (const socket of sockets) socket.destroy();
    },
  };
}
