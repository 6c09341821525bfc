/** Backups through the server's API against the real PostgreSQL; restore; every failure leaves nothing behind. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RestoreError, restoreBackup } from '../../core/backup/restore.js';
import { silentLogger } from '../../core/log.js';
import { BackupService } from '../../server/backups/backup-service.js';
import { CheckService } from '../../server/checks/check-service.js';
import { parseConfig } from '../../server/config/load-config.js';
import { createApp } from '../../server/http/app.js';
import { BackupCatalog, type CatalogEntry } from '../../server/storage/backup-catalog.js';
import { CheckStore } from '../../server/storage/check-store.js';
import { openStorage, type Storage } from '../../server/storage/storage.js';
import { freePort } from '../bed/system.js';
import { createDatabase, dbUrl, fingerprint, query, seed } from '../helpers/postgres.js';

const TOKEN = 'test-token-0123456789abcdef';
const auth = { Authorization: `Bearer ${TOKEN}` };
const id = process.pid;

describe('backups through the server', () => {
  const root = mkdtempSync(join(tmpdir(), 'berth-backups-'));
  const mounts: string[] = [];
  let storage: Storage;
  let catalog: BackupCatalog;
  let app: ReturnType<typeof createApp>;
  let source: string;
  let sourceFingerprint: Record<string, string>;

  function tmpfs(name: string, options: string): string {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
    mounts.push(dir);
    return dir;
  }

  before(async () => {
    source = await createDatabase(`berth_src_${id}`);
    await seed(source);
    sourceFingerprint = await fingerprint(source);
    await query(
      source,
      `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'berth_app') THEN CREATE ROLE berth_app LOGIN PASSWORD 'right'; END IF; END $$`,
    );
    const readOnly = tmpfs('readonly', 'ro,size=1m');
    const tiny = tmpfs('tiny', 'size=64k');
    const downPort = await freePort();
    const config = parseConfig(
      `
backups:
  - { name: app, database-url: "${source}", dir: ${root}/app }
  - { name: wrong-password, database-url: "${dbUrl(`berth_src_${id}`, 'berth_app', 'wrong')}", dir: ${root}/wrong }
  - { name: db-down, database-url: "postgres://postgres:x@127.0.0.1:${downPort}/postgres", dir: ${root}/down }
  - { name: not-writable, database-url: "${source}", dir: ${readOnly}/backups }
  - { name: disk-full, database-url: "${source}", dir: ${tiny} }
`,
      {},
    );
    storage = await openStorage({ kind: 'sqlite', path: join(root, 'berth.db'), url: '' });
    catalog = new BackupCatalog(storage);
    app = createApp({
      apiToken: TOKEN,
      backups: new BackupService(config.backups, catalog, silentLogger),
      catalog,
      checks: new CheckService([], { store: new CheckStore(storage), alerts: { raise: () => undefined }, logger: silentLogger }),
      logger: silentLogger,
    });
  });

  after(async () => {
    await storage.close();
    for (const dir of mounts) execFileSync('umount', [dir]);
    rmSync(root, { recursive: true, force: true });
  });

  const post = async (name: string) => {
    const response = await app.request(`/api/backups/${name}?wait=true`, { method: 'POST', headers: auth });
    return { status: response.status, entry: (await response.json()) as CatalogEntry };
  };
  const filesIn = (dir: string) => {
    try {
      return readdirSync(dir).sort();
    } catch {
      return [];
    }
  };

  it('backs up through the API and restores into a new database, identical', async () => {
    const { status, entry } = await post('app');
    assert.equal(status, 201, JSON.stringify(entry));
    assert.equal(entry.status, 'succeeded');
    assert.match(entry.file ?? '', new RegExp(`${root}/app/app_\\d{8}-\\d{6}\\.sql\\.gz$`));
    assert.ok((entry.sizeBytes ?? 0) > 1000);
    assert.match(entry.sha256 ?? '', /^[0-9a-f]{64}$/);
    assert.deepEqual(filesIn(`${root}/app`), [`${entry.file?.split('/').pop()}`, `${entry.file?.split('/').pop()}.sha256`]);
    const target = await createDatabase(`berth_dst_${id}`);
    const restored = await restoreBackup(entry.file ?? '', target, { clean: false, expectedSha256: entry.sha256 ?? undefined });
    assert.equal(restored.sha256, entry.sha256);
    assert.deepEqual(await fingerprint(target), sourceFingerprint);
  });

  it('refuses to restore over a non-empty database unless --clean, losing nothing', async () => {
    const [entry] = await catalog.good('app');
    const target = dbUrl(`berth_dst_${id}`);
    await query(target, "INSERT INTO users (name) VALUES ('added after restore')");
    await assert.rejects(restoreBackup(entry?.file ?? '', target, { clean: false }), /not empty.*Nothing was restored/s);
    assert.equal((await query(target, "SELECT count(*)::int AS n FROM users WHERE name = 'added after restore'"))[0]?.n, 1);
    await restoreBackup(entry?.file ?? '', target, { clean: true });
    assert.deepEqual(await fingerprint(target), sourceFingerprint);
  });

  it('refuses a backup whose sha256 does not match, restoring nothing', async () => {
    const [entry] = await catalog.good('app');
    const damaged = join(root, 'damaged.sql.gz');
    copyFileSync(entry?.file ?? '', damaged);
    const bytes = readFileSync(damaged);
    bytes[bytes.length - 20] = (bytes[bytes.length - 20] ?? 0) ^ 0xff;
    writeFileSync(damaged, bytes);
    const target = await createDatabase(`berth_dmg_${id}`);
    await assert.rejects(restoreBackup(damaged, target, { clean: false, expectedSha256: entry?.sha256 ?? undefined }), (error: unknown) => {
      assert.ok(error instanceof RestoreError);
      assert.match(error.message, /does not match the catalog/);
      return true;
    });
    assert.equal((await query(target, "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'"))[0]?.n, 0);
  });

  for (const [name, pattern] of [
    ['wrong-password', /password authentication failed/],
    ['db-down', /Connection refused|could not connect/],
    ['not-writable', /not writable/],
    ['disk-full', /disk .* is full/],
  ] as const) {
    it(`records a failed backup (${name}) with a clear error and leaves no file`, async () => {
      const earlier = filesIn(`${root}/app`);
      const { status, entry } = await post(name);
      assert.equal(status, 500);
      assert.equal(entry.status, 'failed');
      assert.equal(entry.file, null);
      assert.match(entry.error ?? '', pattern);
      const dir = {
        'wrong-password': `${root}/wrong`,
        'db-down': `${root}/down`,
        'not-writable': `${root}/readonly/backups`,
        'disk-full': `${root}/tiny`,
      }[name];
      assert.deepEqual(filesIn(dir), []);
      assert.deepEqual(filesIn(`${root}/app`), earlier, 'earlier backups are kept');
    });
  }

  it('answers POST at once with 202 and the run id, which the client polls until the run ends', async () => {
    const response = await app.request('/api/backups/app', { method: 'POST', headers: auth });
    assert.equal(response.status, 202);
    const started = (await response.json()) as { id: string; status: string; poll: string };
    assert.equal(started.status, 'running');
    assert.equal(response.headers.get('location'), started.poll);
    assert.equal((await app.request('/api/backups/app', { method: 'POST', headers: auth })).status, 409);
    let entry: CatalogEntry | undefined;
    for (let i = 0; i < 300 && entry?.status !== 'succeeded'; i++) {
      const polled = await app.request(started.poll, { headers: auth });
      assert.equal(polled.status, 200);
      entry = (await polled.json()) as CatalogEntry;
      assert.ok(entry.status === 'running' || entry.status === 'succeeded', JSON.stringify(entry));
      if (entry.status === 'running') await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(entry?.id, started.id);
    assert.equal(entry?.status, 'succeeded');
    assert.equal((await app.request('/api/backups/runs/nope', { headers: auth })).status, 404);
  });

  it('answers 401 without the right token, and runs nothing', async () => {
    const before = (await catalog.list()).length;
    for (const headers of [{}, { Authorization: 'Bearer wrong-token-0123456789' }]) {
      assert.equal((await app.request('/api/backups/app', { method: 'POST', headers })).status, 401);
      assert.equal((await app.request('/api/backups', { headers })).status, 401);
    }
    // Hono's bearerAuth answers a header without the Bearer scheme 400 (RFC 6750's invalid_request).
    assert.equal((await app.request('/api/backups/app', { method: 'POST', headers: { Authorization: TOKEN } })).status, 400);
    assert.equal((await catalog.list()).length, before);
    assert.equal((await app.request('/healthz')).status, 200);
  });

  it("lists the catalog newest first with each backup's freshness", async () => {
    const response = await app.request('/api/backups', { headers: auth });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { backups: Array<{ name: string; freshness: { status: string } }>; catalog: CatalogEntry[] };
    assert.deepEqual(
      body.backups.map((b) => [b.name, b.freshness.status]),
      [
        ['app', 'fresh'],
        ['wrong-password', 'never'],
        ['db-down', 'never'],
        ['not-writable', 'never'],
        ['disk-full', 'never'],
      ],
    );
    const started = body.catalog.map((e) => e.startedAt);
    assert.deepEqual(started, [...started].sort().reverse());
    assert.equal((await app.request('/api/backups/nope', { method: 'POST', headers: auth })).status, 404);
  });
});
