/**
 * Alert delivery against local stand-ins for Slack, Discord, Telegram and a webhook receiver, on a
 * real SQLite and PostgreSQL outbox: formats on the wire, retries, a hanging channel, idempotency,
 * redaction, deploy holds, reminders, stale backups, a restart, and two servers on one PostgreSQL.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { alertContext } from '../../server/alerts/alert-context.js';
import type { AlertEvent } from '../../server/alerts/alert-events.js';
import { parseConfig } from '../../server/config/load-config.js';
import { DeploymentStore } from '../../server/storage/deployment-store.js';
import { alertsRoutes } from '../../server/http/alerts-routes.js';
import { openStorage, type Storage } from '../../server/storage/storage.js';
import { storageClock } from '../../server/storage/storage-clock.js';
import { waitFor } from '../bed/system.js';
import { channelsYaml, downEvent, FAST, type Harness, SECRET, startAlerting } from '../helpers/alerting.js';
import { type ChatReceiver, startChatReceiver } from '../helpers/chat-receiver.js';
import { createDatabase, query } from '../helpers/postgres.js';
import { testbed } from '../bed/testbed.js';

const harness = (storage: Storage, receiver: ChatReceiver, yaml = channelsYaml(receiver)): Promise<Harness> => startAlerting(storage, yaml);

describe('alert delivery on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-alerts-'));
  let storage: Storage;
  let receiver: ChatReceiver;
  let h: Harness;

  before(async () => {
    storage = await openStorage({ kind: 'sqlite', path: join(dir, 'berth.db'), url: '' });
  });
  beforeEach(async () => {
    await h?.alerting.stop();
    await receiver?.close();
    await storage.run('DELETE FROM alert_deliveries');
    await storage.run('DELETE FROM alerts');
    await storage.run('DELETE FROM alert_states');
    await storage.run('DELETE FROM deployment_statuses');
    receiver = await startChatReceiver();
    h = await harness(storage, receiver);
  });
  after(async () => {
    await h?.alerting.stop();
    await receiver?.close();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends a down check to every channel in its own format, without making the caller wait', async () => {
    // No promise to wait for: the caller (a check, a backup) goes on while the outbox delivers.
    const returned: unknown = h.alerting.sink.raise(downEvent());
    assert.equal(returned, undefined, 'raise gives the caller nothing to wait for');
    const [slack] = await receiver.waitDelivered(1, '/slack');
    const [discord] = await receiver.waitDelivered(1, '/discord');
    const [telegram] = await receiver.waitDelivered(1, '/tg/bot123:abc/sendMessage');
    const [hook] = await receiver.waitDelivered(1, '/hook');
    assert.equal((slack?.body as { text: string }).text, ':red_circle: Check web is down');
    const embed = (discord?.body as { embeds: Array<{ title: string; color: number }>; allowed_mentions: unknown }).embeds[0];
    assert.deepEqual([embed?.title, embed?.color], ['Check web is down', 0xd1242f]);
    const tg = telegram?.body as { chat_id: string; parse_mode: string; text: string };
    assert.deepEqual([tg.chat_id, tg.parse_mode], ['-100123', 'HTML']);
    assert.match(tg.text, /^🔴 <b>Check web is down<\/b>\n<b>Check:<\/b> web \(http\)\n<b>Where:<\/b> test-host\n/);
    const body = hook?.body as { version: number; event: { kind: string; check: string }; host: string; id: string };
    assert.deepEqual([body.version, body.event.kind, body.event.check, body.host], [1, 'check_down', 'web', 'test-host']);
    assert.equal(hook?.headers['x-berth-event'], 'check_down');
    assert.equal(hook?.headers['x-berth-alert'], body.id);
    assert.equal(receiver.received.length, 4, 'one request per channel');
  });

  it('a channel that answers 500 then 200 gets the alert once, and /api/alerts shows both tries', async () => {
    receiver.script('/slack', 500);
    h.alerting.sink.raise(downEvent());
    await receiver.waitDelivered(1, '/slack');
    await h.alerting.service.settled();
    await waitFor('settled deliveries', async () => {
      const body = (await (await apiAlerts(h)).json()) as AlertsAnswer;
      return body.alerts[0]?.delivery === 'delivered';
    });
    assert.deepEqual(
      receiver.received.filter((r) => r.path === '/slack').map((r) => r.status),
      [500, 200],
    );
    const answer = (await (await apiAlerts(h)).json()) as AlertsAnswer;
    const slack = answer.alerts[0]?.deliveries.find((d) => d.label === 'slack #1');
    assert.equal(slack?.state, 'delivered');
    assert.equal(slack?.attempts, 2);
    assert.match(slack?.lastError ?? '', /^HTTP 500: \{"ok":false,"description":"answer 500 from the fake"\}/);
    assert.equal(answer.channels.find((c) => c.label === 'slack #1')?.state, 'ok');
    const metrics = await h.registry.metrics();
    assert.match(metrics, /berth_alert_deliveries_total\{channel="slack #1",type="slack",result="retried"\} 1/);
    assert.match(metrics, /berth_alert_deliveries_total\{channel="slack #1",type="slack",result="delivered"\} 1/);
    assert.ok(h.logger.lines.some((l) => /^warn alert \w+ to slack #1 \(127\.0\.0\.1:\d+\): try 1 of 3 failed: HTTP 500/.test(l)));
  });

  it('a hanging channel times out and is retried, then reported failing; the others are not held up', async () => {
    receiver.script('/discord', 'hang', 'hang', 'hang', 'hang', 'hang', 'hang');
    const started = Date.now();
    h.alerting.sink.raise(downEvent());
    const [slack] = await receiver.waitDelivered(1, '/slack');
    assert.ok((slack?.at ?? Infinity) - started < FAST.timeoutMs, 'slack did not wait for discord');
    h.alerting.sink.raise(downEvent('other'));
    await receiver.waitDelivered(2, '/slack');
    await waitFor('discord given up', () => h.logger.lines.some((l) => l.startsWith('error') && l.includes('discord #1')), 10_000);
    assert.equal(receiver.received.filter((r) => r.path === '/discord').length >= 3, true);
    const answer = (await (await apiAlerts(h)).json()) as AlertsAnswer;
    const discord = answer.channels.find((c) => c.label === 'discord #1');
    assert.equal(discord?.state, 'failing');
    assert.match(discord?.lastError ?? '', /no answer within 2 s/);
    assert.match(
      h.logger.lines.find((l) => l.startsWith('error') && l.includes('discord #1')) ?? '',
      /not delivered, try 3 of 3 failed: no answer within 2 s/,
    );
  });

  it('the same state change raised twice, or by a second server, is one alert', async () => {
    const event = downEvent();
    const second = await harness(storage, receiver);
    try {
      h.alerting.sink.raise(event);
      second.alerting.sink.raise(event);
      h.alerting.sink.raise(event);
      await receiver.waitDelivered(4);
      await h.alerting.service.settled();
      await second.alerting.service.settled();
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(receiver.received.length, 4);
      const [{ n }] = (await storage.all<{ n: number }>('SELECT COUNT(*) AS n FROM alerts')) as [{ n: number }];
      assert.equal(Number(n), 1);
    } finally {
      await second.alerting.stop();
    }
  });

  it('redacts secrets from what it stores and sends', async () => {
    h.alerting.sink.raise({
      kind: 'backup_failed',
      backup: 'app',
      runId: 'r1',
      error: `pg_dump: connection to postgres://app:pw-in-url@db/app failed; token ${SECRET}`,
      at: new Date().toISOString(),
    });
    const [hook] = await receiver.waitDelivered(1, '/hook');
    const text = JSON.stringify(hook?.body);
    assert.ok(!text.includes(SECRET) && !text.includes('pw-in-url'), text);
    assert.match(text, /postgres:\/\/app:\[REDACTED\]@db\/app/);
    const stored = JSON.stringify(await storage.all('SELECT * FROM alerts'));
    assert.ok(!stored.includes(SECRET) && !stored.includes('pw-in-url'));
  });

  it('holds a down alert while a deploy runs, and sends it when the check is still down after', async () => {
    const event = downEvent();
    await deployStatus(h, 1, 'in_progress');
    h.alerting.sink.raise(event);
    await h.alerting.service.settled();
    const [held] = await h.alerting.store.held();
    assert.equal(held?.event.kind, 'check_down');
    h.health.set('web', { health: 'down', since: event.kind === 'check_down' ? event.since : null });
    await deployStatus(h, 2, 'success');
    await receiver.waitDelivered(4);
    assert.equal((await h.alerting.store.get(held?.id ?? ''))?.statusReason, 'still down after the deploy');
  });

  it('a check that came back during the deploy is never announced, nor its recovery', async () => {
    const event = downEvent() as Extract<AlertEvent, { kind: 'check_down' }>;
    await deployStatus(h, 3, 'in_progress');
    h.alerting.sink.raise(event);
    h.alerting.sink.raise({
      kind: 'check_recovered',
      check: 'web',
      checkType: 'http',
      since: event.since,
      downForMs: 60_000,
      at: event.at,
    });
    await h.alerting.service.settled();
    h.health.set('web', { health: 'up', since: event.at });
    await deployStatus(h, 4, 'failure');
    await receiver.waitDelivered(4); // the deploy's own failure alert
    await h.alerting.service.settled();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const kinds = receiver.received.filter((r) => r.path === '/hook').map((r) => (r.body as { event: { kind: string } }).event.kind);
    assert.deepEqual(kinds, ['deploy_failed']);
    const statuses = (await h.alerting.store.list(10)).map((a) => `${a.event.kind}:${a.status}`).sort();
    assert.deepEqual(statuses, ['check_down:suppressed', 'check_recovered:suppressed', 'deploy_failed:released']);
  });

  it('reminds of a still-down check every remind-every, once per period', async () => {
    const since = '2026-11-27T03:00:00.000Z';
    h.now.value = new Date('2026-11-27T03:01:00.000Z');
    h.alerting.sink.raise(downEvent('web', since));
    await receiver.waitDelivered(1, '/hook');
    h.health.set('web', { health: 'down', since, error: 'HTTP 502' });
    h.now.value = new Date('2026-11-27T04:05:00.000Z');
    await h.alerting.watch.tick();
    await h.alerting.watch.tick();
    await h.alerting.service.settled();
    h.now.value = new Date('2026-11-27T05:10:00.000Z');
    await h.alerting.watch.tick();
    const hooks = await receiver.waitDelivered(3, '/hook');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const sent = receiver.delivered('/hook').map((r) => r.body as { title: string; reminder: number; event: { error: string } });
    assert.equal(hooks.length, 3);
    assert.deepEqual(
      sent.map((b) => [b.reminder, b.title, b.event.error]),
      [
        [0, 'Check web is down', 'HTTP 503 from http://127.0.0.1:9/health'],
        [1, 'Check web is still down after 1 h 5 min', 'HTTP 502'],
        [2, 'Check web is still down after 2 h 10 min', 'HTTP 502'],
      ],
    );
  });

  it('alerts on a stale backup once per newest good backup', async () => {
    h.stale.push({
      name: 'app',
      freshness: { status: 'stale', lastGoodAt: '2026-11-20T06:00:00.000Z', expectedSince: '2026-11-26T06:00:00.000Z' },
    });
    await h.alerting.watch.tick();
    await h.alerting.watch.tick();
    const [hook] = await receiver.waitDelivered(1, '/hook');
    assert.equal((hook?.body as { title: string }).title, 'Backup app is stale');
    h.stale[0] = { name: 'app', freshness: { status: 'fresh', lastGoodAt: '2026-11-27T06:00:00.000Z', expectedSince: null } };
    await h.alerting.watch.tick();
    await h.alerting.service.settled();
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(receiver.delivered('/hook').length, 1);
  });

  it('an alert not delivered when the server stops is sent after the next start', async () => {
    receiver.script('/hook', 500);
    h.alerting.sink.raise(downEvent());
    await waitFor('the first try', () => receiver.received.some((r) => r.path === '/hook'));
    await h.alerting.stop();
    assert.equal(receiver.delivered('/hook').length, 0);
    h = await harness(storage, receiver);
    await receiver.waitDelivered(1, '/hook');
  });
});

interface AlertsAnswer {
  channels: Array<{ label: string; state: string; lastError: string | null }>;
  alerts: Array<{ delivery: string; deliveries: Array<{ label: string; state: string; attempts: number; lastError: string | null }> }>;
}

async function apiAlerts(h: Harness): Promise<Response> {
  return alertsRoutes(h.alerting).request('/');
}

async function deployStatus(h: Harness, statusId: number, state: string): Promise<void> {
  await h.alerting.github.handle({
    id: `delivery-${process.pid}-${statusId}-${Math.random()}`,
    name: 'deployment_status',
    payload: {
      deployment_status: {
        id: statusId,
        state,
        environment: 'production',
        created_at: new Date().toISOString(),
        creator: { login: 'octocat' },
      },
      deployment: { id: 900, sha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e', ref: 'main', environment: 'production' },
      repository: { full_name: 'acme/shop' },
    },
  });
}

describe('alert delivery on PostgreSQL, two servers', () => {
  let storages: Storage[] = [];
  let receiver: ChatReceiver;
  const servers: Harness[] = [];

  before(async () => {
    const url = await createDatabase(`berth_alerts_${process.pid}`);
    storages = [await openStorage({ kind: 'postgres', url }), await openStorage({ kind: 'postgres', url })];
    receiver = await startChatReceiver();
    const yaml = `alerts:\n  - { type: webhook, url: "${receiver.url}/hook" }\n  - { type: slack, url: "${receiver.url}/slack" }\n`;
    for (const storage of storages) servers.push(await harness(storage, receiver, yaml));
  });
  after(async () => {
    for (const server of servers) await server.alerting.stop();
    for (const storage of storages) await storage.close();
    await receiver.close();
  });

  it('sends each state change once, whichever server raised it and however often', async () => {
    const events = Array.from({ length: 30 }, (_, i) => downEvent(`check-${i}`));
    for (const event of events) for (const server of servers) server.alerting.sink.raise(event);
    await receiver.waitDelivered(30, '/hook', 30_000);
    await receiver.waitDelivered(30, '/slack', 30_000);
    for (const server of servers) await server.alerting.service.settled();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const ids = receiver.delivered('/hook').map((r) => (r.body as { id: string }).id);
    assert.equal(ids.length, 30);
    assert.equal(new Set(ids).size, 30);
    assert.equal(receiver.delivered('/slack').length, 30);
  });
});

describe('alert delivery on PostgreSQL, two servers whose clocks are a minute apart', () => {
  it('the one ahead never takes a delivery the other is still posting: leases follow the database clock', async () => {
    const url = await createDatabase(`berth_alerts_skew_${process.pid}`);
    const storages = [await openStorage({ kind: 'postgres', url }), await openStorage({ kind: 'postgres', url })];
    const receiver = await startChatReceiver();
    // PostgreSQL in the config: a server on SQLite would take back every claim at start, as the only process.
    const yaml = `storage: { url: "${url}" }\nalerts:\n  - { type: webhook, url: "${receiver.url}/hook" }\n`;
    const servers: Harness[] = [];
    try {
      receiver.script('/hook', 'hang'); // the first post hangs until its 2 s timeout
      const dispatch = { ...FAST, timeoutMs: 2_000 };
      servers.push(await startAlerting(storages[0]!, yaml, dispatch));
      servers[0]!.alerting.sink.raise(downEvent('skewed'));
      await waitFor('the first try', () => receiver.received.length === 1, 5_000);
      const ahead = (): Date => new Date(Date.now() + 60_000);
      servers.push(await startAlerting(storages[1]!, yaml, dispatch, await storageClock(storages[1]!, undefined, ahead)));
      await new Promise((resolve) => setTimeout(resolve, 250)); // five polls of the second server, within the first try
      assert.equal(receiver.received.length, 1, 'no second post while the first is under way');
      await receiver.waitDelivered(1, '/hook', 5_000);
      assert.equal(receiver.received.length, 2, 'the hanging try, then one retry');
    } finally {
      for (const server of servers) await server.alerting.stop();
      for (const storage of storages) await storage.close();
      await receiver.close();
    }
  });
});

describe('alert context', () => {
  const app = mkdtempSync(join(tmpdir(), 'berth-alert-app-'));
  const release = (id: string, commit: string, state: string, extra: object = {}) => ({
    id,
    ref: 'main',
    commit,
    previousCommit: undefined,
    state,
    failedStep: undefined,
    error: undefined,
    startedAt: '2026-11-27T01:00:00Z',
    finishedAt: '2026-11-27T01:01:00Z',
    steps: [],
    images: {},
    imageNames: {},
    ...extra,
  });
  let storage: Storage;

  before(async () => {
    mkdirSync(join(app, '.git', 'berth'), { recursive: true });
    writeFileSync(
      join(app, '.git', 'berth', 'releases.json'),
      JSON.stringify({
        version: 1,
        releases: [
          release('r1', 'aaaa000000000000000000000000000000000001', 'succeeded'),
          release('r2', 'bbbb000000000000000000000000000000000002', 'rolled_back', { failedStep: 'health', error: 'web is unhealthy' }),
        ],
      }),
    );
    storage = await openStorage({ kind: 'sqlite', path: join(app, 'berth.db'), url: '' });
  });
  after(async () => {
    await storage.close();
    rmSync(app, { recursive: true, force: true });
  });

  it('gives a compose check the live commit, and a failed deploy its recorded error and the failing service’s logs', async () => {
    const config = parseConfig(`checks:\n  - { name: app, type: compose, path: "${app}" }\n`, {});
    const sources = {
      host: 'vps-1',
      checks: config.checks,
      deployments: new DeploymentStore(storage),
      composeLogs: async () => ({ service: 'web', lines: 'panic: no database' }),
    };
    const down = await alertContext(
      { ...downEvent('app'), checkType: 'compose', details: { failingServices: ['web'], logTail: 'boom' } } as AlertEvent,
      sources,
    );
    assert.deepEqual(down, {
      host: 'vps-1',
      liveCommit: 'aaaa000000000000000000000000000000000001',
      logTail: { service: 'web', lines: 'boom' },
    });
    const deploy = await alertContext(
      {
        kind: 'deploy_failed',
        repository: 'acme/shop',
        environment: 'production',
        state: 'failure',
        sha: 'bbbb000000000000000000000000000000000002',
        ref: 'main',
        description: 'health failed (rolled_back)',
        url: null,
        deploymentId: 1,
        statusId: 2,
        creator: null,
        at: '2026-11-27T01:02:00Z',
      },
      sources,
    );
    assert.deepEqual(deploy, {
      host: 'vps-1',
      liveCommit: 'aaaa000000000000000000000000000000000001',
      releaseError: 'health failed: web is unhealthy',
      logTail: { service: 'web', lines: 'panic: no database' },
    });
  });
});

describe('alerts while the storage database goes away', () => {
  it('keeps what is raised meanwhile and sends it when the database is back, logging the outage once', async () => {
    const name = `berth_alerts_away_${process.pid}`;
    const url = await createDatabase(name);
    const admin = testbed().postgresUrl;
    const storage = await openStorage({ kind: 'postgres', url });
    const receiver = await startChatReceiver();
    const h = await startAlerting(storage, `alerts:\n  - { type: webhook, url: "${receiver.url}/hook" }\n`);
    try {
      await query(admin, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await query(admin, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      h.alerting.sink.raise(downEvent());
      await waitFor('the storage error', () => h.logger.lines.some((l) => l.includes('the storage is away')));
      await waitFor('the outbox error', () => h.logger.lines.some((l) => l.includes('the outbox could not be read')));
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(receiver.received.length, 0);
      await query(admin, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      const [hook] = await receiver.waitDelivered(1, '/hook');
      assert.equal((hook?.body as { title: string }).title, 'Check web is down');
      assert.equal(h.logger.lines.filter((l) => l.includes('the outbox could not be read')).length, 1, 'logged once, not per poll');
      assert.ok(h.logger.lines.some((l) => l.includes('the outbox answers again')));
    } finally {
      await query(admin, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      await h.alerting.stop();
      await storage.close();
      await receiver.close();
    }
  });
});
