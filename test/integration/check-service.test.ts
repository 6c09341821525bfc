/** The check service: state changes stored and alerted once, the API, the scheduler under a hanging target, storage going away. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { Logger } from '../../core/log.js';
import type { AlertEvent, AlertSink } from '../../server/alerts/alert-events.js';
import { BackupService } from '../../server/backups/backup-service.js';
import { checkJobs } from '../../server/checks/check-jobs.js';
import { CheckService } from '../../server/checks/check-service.js';
import { parseConfig } from '../../server/config/load-config.js';
import { createApp } from '../../server/http/app.js';
import { scheduleJobs } from '../../server/schedule/cron-jobs.js';
import { BusyError } from '../../server/server-errors.js';
import { BackupCatalog } from '../../server/storage/backup-catalog.js';
import { CheckStore, RESULTS_KEPT } from '../../server/storage/check-store.js';
import { openStorage, type Storage } from '../../server/storage/storage.js';
import { storageClock } from '../../server/storage/storage-clock.js';
import { type HttpTarget, startHttpTarget } from '../helpers/http-target.js';
import { createDatabase, query } from '../helpers/postgres.js';
import { testbed } from '../bed/testbed.js';

/** A logger that keeps its lines, and an alert sink that keeps its events. */
function recorder(): { logger: Logger; lines: string[]; alerts: AlertSink; events: AlertEvent[] } {
  const lines: string[] = [];
  const events: AlertEvent[] = [];
  const log = (level: string) => (message: string) => void lines.push(`${level}: ${message}`);
  return {
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    lines,
    alerts: { raise: (event) => void events.push(event) },
    events,
  };
}

let healthy = true;

describe('check service', () => {
  const root = mkdtempSync(join(tmpdir(), 'berth-checks-'));
  let storage: Storage;
  let target: HttpTarget;
  const TOKEN = 'checks-token-0123456789abcdef';

  before(async () => {
    storage = await openStorage({ kind: 'sqlite', path: join(root, 'berth.db'), url: '' });
    target = await startHttpTarget({
      '/health': (_req, res) => (healthy ? res.end('ok') : res.writeHead(503).end('down')),
      '/hang': () => undefined,
    });
  });
  after(async () => {
    await target.close();
    await storage.close();
    rmSync(root, { recursive: true, force: true });
  });

  const configFor = (yaml: string) => parseConfig(yaml, { TARGET: target.url }).checks;

  it('goes down after `failures` failures, alerts once with the cause, and recovers with how long it was down', async () => {
    const r = recorder();
    const service = new CheckService(configFor('checks:\n  - { name: web, type: http, url: "${TARGET}/health", failures: 2 }\n'), {
      store: new CheckStore(storage),
      alerts: r.alerts,
      logger: r.logger,
    });
    healthy = true;
    assert.equal((await service.run('web')).state.health, 'up');
    healthy = false;
    const first = await service.run('web');
    assert.equal(first.state.health, 'up', 'one failure pages nobody');
    assert.equal((await service.run('web')).state.health, 'down');
    await service.run('web');
    assert.deepEqual(
      r.events.map((e) => e.kind),
      ['check_down'],
    );
    const down = r.events[0];
    assert.ok(down?.kind === 'check_down');
    assert.equal(down.since, first.result.at, 'down since the first failure of the run');
    assert.match(down.error, /answered 503, expected a 2xx status/);
    assert.equal(down.details?.status, 503);
    healthy = true;
    const back = await service.run('web');
    assert.equal(back.state.health, 'up');
    const recovered = r.events[1];
    assert.ok(recovered?.kind === 'check_recovered');
    assert.equal(recovered.downForMs, Date.parse(back.result.at) - Date.parse(first.result.at));
    const store = new CheckStore(storage);
    assert.deepEqual(
      (await store.events('web', 10)).map((e) => `${e.from}>${e.to}`),
      ['down>up', 'up>down', 'unknown>up'],
    );
    assert.deepEqual(
      (await store.history('web', 10)).map((h) => h.ok),
      [true, false, false, false, true],
    );
    assert.equal((await store.state('web'))?.state.health, 'up');
  });

  it('answers /api/checks with state and history, runs one on POST, 404 for an unknown name and 409 while it runs', async () => {
    const r = recorder();
    const checks = new CheckService(
      configFor(
        'checks:\n  - { name: web, type: http, url: "${TARGET}/health" }\n  - { name: slow, type: http, url: "${TARGET}/hang", timeout: 1 }\n',
      ),
      { store: new CheckStore(storage), alerts: r.alerts, logger: r.logger },
    );
    const catalog = new BackupCatalog(storage);
    const app = createApp({ apiToken: TOKEN, backups: new BackupService([], catalog, r.logger), catalog, checks, logger: r.logger });
    const auth = { Authorization: `Bearer ${TOKEN}` };
    healthy = true;
    const ran = await app.request('/api/checks/web/run', { method: 'POST', headers: auth });
    assert.equal(ran.status, 200);
    const body = (await ran.json()) as { check: string; result: { ok: boolean; latencyMs: number }; health: string };
    assert.equal(body.check, 'web');
    assert.equal(body.result.ok, true);
    assert.equal(body.health, 'up');
    const list = (await (await app.request('/api/checks', { headers: auth })).json()) as {
      checks: Array<{ name: string; health: string; target: string; lastResult: { ok: boolean } | null; history: unknown[] }>;
    };
    assert.deepEqual(
      list.checks.map((c) => [c.name, c.health, c.target]),
      [
        ['web', 'up', `${target.url}/health`],
        ['slow', 'unknown', `${target.url}/hang`],
      ],
    );
    assert.equal(list.checks[0]?.lastResult?.ok, true);
    assert.ok((list.checks[0]?.history.length ?? 0) >= 1);
    const one = await app.request('/api/checks/web', { headers: auth });
    assert.equal(one.status, 200);
    assert.equal((await app.request('/api/checks/nope/run', { method: 'POST', headers: auth })).status, 404);
    assert.equal((await app.request('/api/checks/nope', { headers: auth })).status, 404);
    const running = app.request('/api/checks/slow/run', { method: 'POST', headers: auth });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const busy = await app.request('/api/checks/slow/run', { method: 'POST', headers: auth });
    assert.equal(busy.status, 409);
    assert.match(((await busy.json()) as { error: string }).error, /is running/);
    assert.equal((await running).status, 200);
    assert.equal((await app.request('/api/checks', {})).status, 401);
  });

  it('keeps results bounded per check', async () => {
    const store = new CheckStore(storage);
    const base = Date.parse('2026-11-01T00:00:00Z');
    for (let i = 0; i < RESULTS_KEPT + 25; i++)
      await store.record('bounded', { ok: true, latencyMs: 1, at: new Date(base + i * 1000).toISOString() });
    const [row] = await storage.all<{ n: number }>("SELECT count(*) AS n FROM check_results WHERE check_name = 'bounded'");
    assert.ok(Number(row?.n) <= RESULTS_KEPT + 10, `kept ${row?.n}`);
    const [newest] = await store.history('bounded', 1);
    assert.equal(newest?.at, new Date(base + (RESULTS_KEPT + 24) * 1000).toISOString());
  });

  it('is never blocked by a hanging target: other checks run every tick, and the overlap is a logged skipped tick', async () => {
    const r = recorder();
    const service = new CheckService(
      configFor(
        `checks:
  - { name: fast, type: http, url: "\${TARGET}/health", schedule: "* * * * * *" }
  - { name: stuck, type: http, url: "\${TARGET}/hang", schedule: "* * * * * *", timeout: 2.5 }
`,
      ),
      { store: new CheckStore(storage), alerts: r.alerts, logger: r.logger },
    );
    healthy = true;
    const fastBefore = (await new CheckStore(storage).history('fast', 100)).length;
    const busy = {
      key: 'backup:busy',
      schedule: '* * * * * *',
      run: async () => {
        throw new BusyError("Backup 'busy' is already running.");
      },
    };
    const scheduled = scheduleJobs([...checkJobs(service, r.logger), busy], r.logger);
    await new Promise((resolve) => setTimeout(resolve, 3600));
    scheduled.stop();
    const fastRuns = (await new CheckStore(storage).history('fast', 100)).length - fastBefore;
    assert.ok(fastRuns >= 3, `fast ran ${fastRuns} times`);
    assert.ok(
      r.lines.some((l) => /^warn: check:stuck: skipped a tick: the previous run is still going/.test(l)),
      r.lines.join('\n'),
    );
    assert.ok(r.lines.includes("warn: backup:busy: skipped a tick: Backup 'busy' is already running."), r.lines.join('\n'));
    assert.ok(!r.lines.some((l) => l.startsWith('error:')), r.lines.join('\n'));
    await new Promise((resolve) => setTimeout(resolve, 1500)); // let the stuck run time out before the target closes
  });
});

describe('checks while the storage database goes away', () => {
  it('go on, alert, log what was not stored, and store again when it is back, never crashing', async () => {
    const name = `berth_outage_${process.pid}`;
    const url = await createDatabase(name);
    const storage = await openStorage({ kind: 'postgres', url });
    const target = await startHttpTarget({ '/health': (_req, res) => (healthy ? res.end('ok') : res.writeHead(500).end()) });
    const r = recorder();
    const service = new CheckService(parseConfig(`checks:\n  - { name: web, type: http, url: "${target.url}/health" }\n`, {}).checks, {
      store: new CheckStore(storage),
      alerts: r.alerts,
      logger: r.logger,
    });
    const admin = testbed().postgresUrl;
    try {
      healthy = true;
      assert.equal((await service.run('web')).state.health, 'up');
      // The database refuses new connections and loses its open ones: like a restart, for a while.
      await query(admin, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await query(admin, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      await new Promise((resolve) => setTimeout(resolve, 200)); // the pool hears of its idle clients' end
      healthy = false;
      await service.run('web');
      const down = await service.run('web');
      assert.equal(down.state.health, 'down');
      assert.deepEqual(
        r.events.map((e) => e.kind),
        ['check_down'],
      );
      assert.ok(
        r.lines.some((l) => /^error: check web: result of .* not stored/.test(l)),
        r.lines.join('\n'),
      );
      await query(admin, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      healthy = true;
      const back = await service.run('web');
      assert.equal(back.state.health, 'up');
      assert.deepEqual(
        r.events.map((e) => e.kind),
        ['check_down', 'check_recovered'],
      );
      const stored = await new CheckStore(storage).state('web');
      assert.equal(stored?.state.health, 'up');
    } finally {
      await query(admin, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      await storage.close();
      await target.close();
    }
  });

  it('a storage that stops answering (its tables locked) holds a check no longer than the query timeout: it still goes down and alerts', async () => {
    const name = `berth_stuck_${process.pid}`;
    const url = await createDatabase(name);
    const storage = await openStorage({ kind: 'postgres', url }, undefined, { queryTimeoutMs: 500 });
    const target = await startHttpTarget({ '/health': (_req, res) => (healthy ? res.end('ok') : res.writeHead(500).end()) });
    const r = recorder();
    const config = `checks:\n  - { name: web, type: http, url: "${target.url}/health", failures: 1 }\n`;
    const service = new CheckService(parseConfig(config, {}).checks, {
      store: new CheckStore(storage),
      alerts: r.alerts,
      logger: r.logger,
    });
    // Like a lost network path to the database, or another session's long lock: queries wait, nothing is refused.
    const locker = new pg.Client({ connectionString: url });
    await locker.connect();
    try {
      healthy = true;
      assert.equal((await service.run('web')).state.health, 'up');
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE check_states, check_results, check_events IN ACCESS EXCLUSIVE MODE');
      healthy = false;
      let guard: NodeJS.Timeout | undefined;
      const stuck = new Promise<never>((_resolve, reject) => {
        guard = setTimeout(() => reject(new Error('the check run still waits for the storage after 20 s')), 20_000);
      });
      const down = await Promise.race([service.run('web'), stuck]).finally(() => clearTimeout(guard));
      assert.equal(down.state.health, 'down');
      assert.deepEqual(
        r.events.map((e) => e.kind),
        ['check_down'],
      );
      assert.ok(
        r.lines.some((l) => /^error: check web: result of .* not stored: .*statement timeout/.test(l)),
        r.lines.join('\n'),
      );
      await locker.query('ROLLBACK');
      healthy = true;
      assert.equal((await service.run('web')).state.health, 'up');
      assert.equal((await new CheckStore(storage).state('web'))?.state.health, 'up');
    } finally {
      await locker.end();
      await storage.close();
      await target.close();
    }
  });
});

describe('a check run by two servers on one PostgreSQL whose clocks are a minute apart', () => {
  it('each takes up the state the other stored last, so failures in a row count across both', async () => {
    const url = await createDatabase(`berth_check_skew_${process.pid}`);
    const storages = [await openStorage({ kind: 'postgres', url }), await openStorage({ kind: 'postgres', url })];
    const target = await startHttpTarget({ '/health': (_req, res) => (healthy ? res.end('ok') : res.writeHead(500).end()) });
    const configs = parseConfig(`checks:\n  - { name: web, type: http, url: "${target.url}/health", failures: 2 }\n`, {}).checks;
    const ahead = (): Date => new Date(Date.now() + 60_000);
    const [behind, early] = [
      new CheckService(configs, { store: new CheckStore(storages[0]!), alerts: recorder().alerts, logger: recorder().logger }),
      new CheckService(configs, {
        store: new CheckStore(storages[1]!),
        alerts: recorder().alerts,
        logger: recorder().logger,
        clock: await storageClock(storages[1]!, undefined, ahead),
      }),
    ];
    try {
      healthy = true;
      assert.equal((await early.run('web')).state.health, 'up');
      healthy = false;
      assert.equal((await behind.run('web')).state.failuresInRow, 1);
      const second = await early.run('web'); // ticks alternate between the servers
      assert.deepEqual([second.state.health, second.state.failuresInRow], ['down', 2]);
    } finally {
      healthy = true;
      for (const storage of storages) await storage.close();
      await target.close();
    }
  });
});
