/** The backup service against real PostgreSQL: a killed pg_dump, retention on a fake clock, PostgreSQL as storage. */
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../core/log.js';
import type { AlertEvent } from '../../server/alerts/alert-events.js';
import { backupJobs } from '../../server/backups/backup-jobs.js';
import { BackupService } from '../../server/backups/backup-service.js';
import { BusyError } from '../../server/server-errors.js';
import type { BackupConfig } from '../../server/config/server-config.js';
import { BackupCatalog } from '../../server/storage/backup-catalog.js';
import { openStorage, type Storage } from '../../server/storage/storage.js';
import { createDatabase, query, seed } from '../helpers/postgres.js';

const id = process.pid;

describe('backup service', () => {
  const root = mkdtempSync(join(tmpdir(), 'berth-service-'));
  let source: string;
  let storage: Storage;

  before(async () => {
    source = await createDatabase(`berth_svc_${id}`);
    await seed(source, 200);
    storage = await openStorage({ kind: 'sqlite', path: join(root, 'berth.db'), url: '' });
  });

  after(async () => {
    await storage.close();
    rmSync(root, { recursive: true, force: true });
  });

  const config = (name: string, extra: Partial<BackupConfig> = {}): BackupConfig => ({
    name,
    source: { kind: 'url', url: source },
    schedule: '0 6 * * *',
    timezone: undefined,
    dir: join(root, name),
    keepDays: 30,
    keepMin: 3,
    ...extra,
  });

  it('fails a backup whose pg_dump is killed midway, leaving no partial file and keeping earlier backups', async () => {
    const big = await createDatabase(`berth_big_${id}`);
    await query(
      big,
      'CREATE TABLE filler AS SELECT g AS id, md5(g::text) || repeat(md5((g*3)::text), 8) AS payload FROM generate_series(1, 400000) g',
    );
    const cfg = config('killed', { source: { kind: 'url', url: big } });
    const service = new BackupService([cfg], new BackupCatalog(storage), silentLogger);
    const first = await service.run('killed', 'api');
    assert.equal(first.status, 'succeeded');
    const running = service.run('killed', 'api');
    let killed = false;
    for (let i = 0; i < 200 && !killed; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      killed = spawnSync('pkill', ['-KILL', '-f', `pg_dump.*berth_big_${id}`]).status === 0;
    }
    assert.ok(killed, 'pg_dump was found and killed while it ran');
    const entry = await running;
    assert.equal(entry.status, 'failed');
    assert.match(entry.error ?? '', /pg_dump was killed by SIGKILL/);
    assert.deepEqual(readdirSync(cfg.dir).sort(), [first.file?.split('/').pop(), `${first.file?.split('/').pop()}.sha256`].sort());
  });

  it('applies retention after a good backup only: keep-days, keep-min, never the newest', async () => {
    let now = new Date('2026-11-01T06:00:00Z');
    const cfg = config('retained', { keepDays: 3, keepMin: 2 });
    const catalog = new BackupCatalog(storage);
    const service = new BackupService([cfg], catalog, silentLogger, () => now);
    const files: string[] = [];
    for (let day = 1; day <= 6; day++) {
      now = new Date(`2026-11-0${day}T06:00:00Z`);
      const entry = await service.run('retained', 'schedule');
      assert.equal(entry.status, 'succeeded');
      files.push(entry.file ?? '');
    }
    // On day 6, days 1-2 are older than 3 days and beyond the newest 2: removed, with their .sha256.
    assert.deepEqual(
      files.map((f) => existsSync(f)),
      [false, false, true, true, true, true],
    );
    assert.ok(!existsSync(`${files[0]}.sha256`));
    assert.equal((await catalog.good('retained')).length, 4);
    // A failed backup does not run retention, even far in the future.
    now = new Date('2027-06-01T06:00:00Z');
    const failing = new BackupService(
      [{ ...cfg, source: { kind: 'url', url: 'postgres://postgres:x@127.0.0.1:1/none' } }],
      catalog,
      silentLogger,
      () => now,
    );
    assert.equal((await failing.run('retained', 'schedule')).status, 'failed');
    assert.equal((await catalog.good('retained')).length, 4);
    const overview = await failing.overview();
    assert.equal(overview[0]?.freshness.status, 'stale');
  });

  it('removes partial files an interrupted server left behind, and nothing else', async () => {
    const cfg = config('leftover');
    mkdirSync(cfg.dir, { recursive: true });
    writeFileSync(join(cfg.dir, '.leftover_20261124-060000.sql.gz.partial'), 'half a dump');
    writeFileSync(join(cfg.dir, 'leftover_20261123-060000.sql.gz'), 'a good backup');
    writeFileSync(join(cfg.dir, '.other_20261124-060000.sql.gz.partial'), 'not ours');
    await new BackupService([cfg], new BackupCatalog(storage), silentLogger).removeLeftovers();
    assert.deepEqual(readdirSync(cfg.dir).sort(), ['.other_20261124-060000.sql.gz.partial', 'leftover_20261123-060000.sql.gz']);
  });

  it('refuses a second run of the same backup while one runs; a scheduled tick then is a logged skip, not an error', async () => {
    const lines: string[] = [];
    const logger = {
      ...silentLogger,
      warn: (m: string) => void lines.push(`warn: ${m}`),
      error: (m: string) => void lines.push(`error: ${m}`),
    };
    const service = new BackupService([config('busy')], new BackupCatalog(storage), logger);
    const first = service.run('busy', 'api');
    await assert.rejects(service.run('busy', 'api'), /already running/);
    const [job] = backupJobs([config('busy')], service, logger);
    await assert.rejects(job?.run(new Date()) ?? Promise.resolve(), BusyError); // the scheduler logs it as a skipped tick
    assert.deepEqual(lines, []);
    assert.equal((await first).status, 'succeeded');
  });

  it('keeps a good backup good when retention fails after it: a warning and an alert, not a failed backup', async () => {
    const cfg = config('retention-fails', { keepDays: 0, keepMin: 1 });
    const catalog = new BackupCatalog(storage);
    // An old catalog entry whose "file" is a folder: removing it fails (EISDIR), as a read-only or vanished mount would.
    mkdirSync(join(root, 'not-a-file'), { recursive: true });
    await catalog.start('old-one', cfg.name, 'schedule', '2026-01-01T06:00:00.000Z');
    await catalog.succeed(
      'old-one',
      { file: join(root, 'not-a-file'), sizeBytes: 1, sha256: 'x', durationMs: 1 },
      '2026-01-01T06:00:01.000Z',
    );
    const events: AlertEvent[] = [];
    const lines: string[] = [];
    const logger = { ...silentLogger, warn: (m: string) => void lines.push(m) };
    const service = new BackupService([cfg], catalog, logger, undefined, { raise: (e) => void events.push(e) });
    const entry = await service.run(cfg.name, 'api');
    assert.equal(entry.status, 'succeeded', entry.error ?? '');
    assert.equal(entry.error, null);
    assert.equal((await catalog.good(cfg.name))[0]?.id, entry.id, 'freshness and retention still see the new backup');
    assert.deepEqual(
      events.map((e) => e.kind),
      ['retention_failed'],
    );
    assert.ok(lines.some((l) => /retention failed \(the new backup is good\)/.test(l)));
  });

  it("fails at start only the runs of servers that are gone, never a live replica's", async () => {
    const catalog = new BackupCatalog(storage);
    const live = spawn('sleep', ['30']);
    const dead = spawnSync('true').pid;
    try {
      await catalog.start('run-dead', 'replica', 'schedule', '2026-11-01T06:00:00.000Z', `${hostname()}:${dead}`);
      await catalog.start('run-live', 'replica', 'schedule', '2026-11-01T06:00:00.000Z', `${hostname()}:${live.pid}`);
      await catalog.start('run-away', 'replica', 'schedule', '2026-11-01T06:00:00.000Z', 'another-host:1');
      assert.equal(await catalog.failInterrupted('2026-11-01T07:00:00.000Z'), 1);
      assert.equal((await catalog.get('run-dead'))?.status, 'failed');
      assert.equal((await catalog.get('run-live'))?.status, 'running');
      assert.equal((await catalog.get('run-away'))?.status, 'running');
    } finally {
      live.kill();
    }
  });

  it('raises backup_failed for a failed backup', async () => {
    const events: AlertEvent[] = [];
    const service = new BackupService(
      [config('alerting', { source: { kind: 'url', url: 'postgres://postgres:x@127.0.0.1:1/none' } })],
      new BackupCatalog(storage),
      silentLogger,
      undefined,
      { raise: (e) => void events.push(e) },
    );
    const entry = await service.run('alerting', 'schedule');
    assert.equal(entry.status, 'failed');
    assert.ok(events[0]?.kind === 'backup_failed' && events[0].runId === entry.id && events[0].error === entry.error);
  });

  it('keeps the catalog in PostgreSQL through the same code path', async () => {
    const url = await createDatabase(`berth_catalog_${id}`);
    const pgStorage = await openStorage({ kind: 'postgres', url });
    try {
      const catalog = new BackupCatalog(pgStorage);
      const service = new BackupService([config('on-postgres')], catalog, silentLogger);
      const entry = await service.run('on-postgres', 'api');
      assert.equal(entry.status, 'succeeded');
      assert.equal(typeof entry.sizeBytes, 'number');
      assert.deepEqual(
        (await catalog.list('on-postgres')).map((e) => e.id),
        [entry.id],
      );
      const again = await openStorage({ kind: 'postgres', url });
      await again.close();
      // Every migration applied once, in order, however many there are.
      const versions = (await query(url, 'SELECT version FROM schema_migrations ORDER BY version')).map((r) => r.version);
      assert.deepEqual(
        versions,
        versions.map((_, i) => i + 1),
      );
      assert.ok(versions.length >= 2);
    } finally {
      await pgStorage.close();
    }
    execFileSync('true');
  });
});
