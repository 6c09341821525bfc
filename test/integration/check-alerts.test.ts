/**
 * Alerts raised by the real check service against a local target: a hanging channel leaves the
 * checks unaffected; a check still down after a deploy alerts then (run again when the deploy ends);
 * two servers on one PostgreSQL running the same check send one alert per state change.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import type { AlertSink } from '../../server/alerts/alert-events.js';
import { type Alerting, createAlerting } from '../../server/alerts/alerting.js';
import { checkHealth } from '../../server/alerts/check-health.js';
import { CheckService } from '../../server/checks/check-service.js';
import { parseConfig } from '../../server/config/load-config.js';
import { CheckStore } from '../../server/storage/check-store.js';
import { openStorage, type Storage } from '../../server/storage/storage.js';
import { BASE_IMAGE } from '../bed/busybox-image.js';
import { freePort, waitFor } from '../bed/system.js';
import { FAST, recordingLogger } from '../helpers/alerting.js';
import { type ChatReceiver, startChatReceiver } from '../helpers/chat-receiver.js';
import { delivery, deploymentStatus } from '../helpers/github-webhooks.js';
import { type HttpTarget, startHttpTarget } from '../helpers/http-target.js';
import { createDatabase } from '../helpers/postgres.js';

interface Server {
  checks: CheckService;
  alerting: Alerting;
}

/** A server's checks and alerts over `storage`, wired as main.ts wires them. */
async function server(storage: Storage, yaml: string): Promise<Server> {
  const config = parseConfig(yaml, {});
  const logger = recordingLogger();
  const sink: AlertSink = { raise: (event) => alerting.sink.raise(event) };
  const checks = new CheckService(config.checks, { store: new CheckStore(storage), alerts: sink, logger });
  const alerting = createAlerting({
    config,
    storage,
    logger,
    registry: new Registry(),
    secrets: [],
    backups: { overview: async () => [] },
    checks: checkHealth(checks),
    host: 'test-host',
    dispatch: FAST,
    watchIntervalMs: 3_600_000,
  });
  await alerting.start();
  return { checks, alerting };
}

const kinds = (receiver: ChatReceiver): string[] =>
  receiver.delivered('/hook').map((r) => (r.body as { event: { kind: string; check: string } }).event.kind);

describe('alerts from the check service', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-check-alerts-'));
  let healthy = false;
  let target: HttpTarget;
  let receiver: ChatReceiver;

  before(async () => {
    target = await startHttpTarget({ '/health': (_req, res) => (healthy ? res.end('ok') : res.writeHead(503).end('down')) });
    receiver = await startChatReceiver();
  });
  after(async () => {
    await target.close();
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const yaml = () => `alerts:
  - { type: webhook, url: "${receiver.url}/hook" }
  - { type: slack, url: "${receiver.url}/slack" }
checks:
  - { name: web, type: http, url: "${target.url}/health", failures: 1, successes: 1, schedule: "0 0 1 1 *" }
`;

  it('a hanging channel never holds up the checks', async () => {
    const storage = await openStorage({ kind: 'sqlite', path: join(dir, 'hang.db'), url: '' });
    const s = await server(storage, yaml());
    try {
      receiver.script('/slack', 'hang', 'hang', 'hang');
      healthy = false;
      const started = performance.now();
      const run = await s.checks.run('web');
      assert.equal(run.state.health, 'down');
      for (let i = 0; i < 10; i++) await s.checks.run('web');
      assert.ok(performance.now() - started < FAST.timeoutMs, 'eleven runs took less than one hanging post');
      await receiver.waitDelivered(1, '/hook');
      healthy = true;
      await s.checks.run('web');
      await receiver.waitDelivered(2, '/hook');
      assert.deepEqual(kinds(receiver), ['check_down', 'check_recovered']);
      // Slack gets them too, in order, once its three hanging tries of the first are over.
      await receiver.waitDelivered(1, '/slack', 10_000);
    } finally {
      await s.alerting.stop();
      await storage.close();
      receiver.received.length = 0;
    }
  });

  it('a check down during a deploy alerts only if it is still down when the deploy ends', async () => {
    const storage = await openStorage({ kind: 'sqlite', path: join(dir, 'deploy.db'), url: '' });
    const s = await server(storage, yaml());
    const status = (id: number, state: string) =>
      s.alerting.github.handle({ id: `d-${id}`, name: 'deployment_status', payload: deploymentStatus(id, state) });
    try {
      await status(1, 'in_progress');
      healthy = false;
      await s.checks.run('web');
      await s.alerting.service.settled();
      healthy = true; // the deploy brings it back: run again when the deploy ends, it is up
      await status(2, 'success');
      await s.alerting.service.settled();
      await status(3, 'in_progress');
      healthy = false;
      await s.checks.run('web');
      await s.alerting.service.settled();
      await status(4, 'success'); // still down after the deploy: the alert goes out now
      await receiver.waitDelivered(1, '/hook');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(kinds(receiver), ['check_down']);
      const statuses = (await s.alerting.store.list(10)).map((a) => `${a.event.kind}:${a.status}`);
      assert.deepEqual(statuses.sort(), ['check_down:released', 'check_down:suppressed', 'check_recovered:suppressed']);
    } finally {
      await s.alerting.stop();
      await storage.close();
      receiver.received.length = 0;
    }
  });

  it('two servers on one PostgreSQL running the same check send one alert per state change', async () => {
    const url = await createDatabase(`berth_check_alerts_${process.pid}`);
    const storages = [await openStorage({ kind: 'postgres', url }), await openStorage({ kind: 'postgres', url })];
    const servers = [await server(storages[0] as Storage, yaml()), await server(storages[1] as Storage, yaml())];
    try {
      const changes = 10;
      for (let i = 0; i < changes; i++) {
        healthy = i % 2 === 1;
        // Both servers run it at once, twice: the state changes once.
        await Promise.all(servers.flatMap((s) => [s.checks.run('web').catch(() => undefined), s.checks.run('web').catch(() => undefined)]));
        // State changes come a check run apart at least; each is stored before the next.
        for (const s of servers) await s.alerting.service.settled();
      }
      await receiver.waitDelivered(changes, '/hook', 30_000);
      await receiver.waitDelivered(changes, '/slack', 30_000);
      for (const s of servers) await s.alerting.service.settled();
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(
        kinds(receiver),
        Array.from({ length: changes }, (_, i) => (i % 2 ? 'check_recovered' : 'check_down')),
      );
      assert.equal(receiver.delivered('/slack').length, changes);
    } finally {
      for (const s of servers) await s.alerting.stop();
      for (const storage of storages) await storage.close();
    }
  });
});

describe('compose and deploy alerts through the bundled server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-compose-alerts-'));
  const app = join(dir, 'app');
  const project = `berth-alerts-${process.pid}`;
  const compose = (...args: string[]) => execFileSync('docker-compose', ['--project-name', project, ...args], { cwd: app, stdio: 'pipe' });
  const GOOD = 'aaaa000000000000000000000000000000000001';
  const BAD = 'bbbb000000000000000000000000000000000002';
  let receiver: ChatReceiver;
  let child: ChildProcess | undefined;
  let port: number;

  before(async () => {
    mkdirSync(join(app, '.git', 'berth'), { recursive: true });
    writeFileSync(
      join(app, 'docker-compose.yml'),
      `version: '2.4'
services:
  worker:
    image: ${BASE_IMAGE}
    network_mode: host
    command: ["sh", "-c", "echo worker line 1; echo 'worker <failed> & gone'; exec sleep 3600"]
`,
    );
    const release = (id: string, commit: string, state: string, extra = {}) => ({
      id,
      ref: 'main',
      commit,
      state,
      steps: [],
      images: {},
      ...extra,
    });
    writeFileSync(
      join(app, '.git', 'berth', 'releases.json'),
      JSON.stringify({
        version: 1,
        releases: [
          release('r1', GOOD, 'succeeded'),
          release('r2', BAD, 'failed', { failedStep: 'health', error: 'worker is exited (code 137)' }),
        ],
      }),
    );
    compose('up', '--detach');
    receiver = await startChatReceiver();
    port = await freePort();
    writeFileSync(
      join(dir, 'berth.yml'),
      `port: ${port}
storage: { url: "sqlite:${dir}/berth.db" }
alerts:
  - { type: webhook, url: "${receiver.url}/hook" }
  - { type: telegram, token: "42:tok", chat-id: "-1001", api-url: "${receiver.url}/tg" }
checks:
  - { name: containers, type: compose, path: "${app}", project-name: ${project}, failures: 1, schedule: "0 0 1 1 *", timeout: 30 }
github: { webhook-secret: bundle-secret }
`,
    );
    child = spawn(process.execPath, [join(process.cwd(), 'dist/server/index.js'), '--config', join(dir, 'berth.yml')], { cwd: dir });
    await waitFor('the server', async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok === true, 20_000);
  });
  after(async () => {
    child?.kill('SIGTERM');
    compose('down', '--timeout', '0');
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a compose check going down alerts with the failing service’s last log lines and the live commit', async () => {
    compose('kill', 'worker');
    const response = await fetch(`http://127.0.0.1:${port}/api/checks/containers/run`, { method: 'POST' });
    assert.equal(response.status, 200);
    const [hook] = await receiver.waitDelivered(1, '/hook');
    const body = hook?.body as { title: string; live_commit: string; log_tail: { service: string; lines: string } };
    assert.equal(body.title, 'Check containers is down');
    assert.equal(body.live_commit, GOOD);
    assert.equal(body.log_tail.service, 'worker');
    assert.match(body.log_tail.lines, /worker line 1[\s\S]*worker <failed> & gone/);
    const [tg] = await receiver.waitDelivered(1, '/tg/bot42:tok/sendMessage');
    assert.match((tg?.body as { text: string }).text, /<pre>[^<]*worker &lt;failed&gt; &amp; gone<\/pre>/);
  });

  it('a failed deploy alerts with its recorded error, the failing service’s logs and the live commit', async () => {
    const payload = deploymentStatus(9001, 'failure');
    Object.assign(payload.deployment as object, { sha: BAD });
    // Whoever may create deployment statuses chooses this link: it must never become a script on the status page.
    Object.assign(payload.deployment_status as object, { log_url: 'javascript:alert(document.domain)' });
    const d = delivery('deployment_status', payload, 'bundle-secret');
    const response = await fetch(`http://127.0.0.1:${port}/webhooks/github`, { method: 'POST', headers: d.headers, body: d.body });
    assert.equal(response.status, 200);
    const hooks = await receiver.waitDelivered(2, '/hook', 30_000);
    const body = hooks[1]?.body as { title: string; text: string; live_commit: string; log_tail: { service: string } };
    assert.equal(body.title, 'Deploy to production failed');
    assert.match(body.text, /Error: health failed: worker is exited \(code 137\)/);
    assert.equal(body.live_commit, GOOD);
    assert.equal(body.log_tail?.service, 'worker');
    const deployments = (await (await fetch(`http://127.0.0.1:${port}/api/deployments`)).json()) as {
      deployments: Array<{ state: string }>;
    };
    assert.equal(deployments.deployments[0]?.state, 'failure');
    const answer = await fetch(`http://127.0.0.1:${port}/`);
    const page = await answer.text();
    assert.match(page, /data-deploy="production"/, 'the status page lists the deploy');
    assert.doesNotMatch(page, /javascript:/, 'only http(s) links');
    assert.match(answer.headers.get('content-security-policy') ?? '', /script-src 'none'.*frame-ancestors 'none'/);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    assert.match(metrics, /berth_alert_deliveries_total\{channel="webhook #1",type="webhook",result="delivered"\} 2/);
    assert.match(metrics, /berth_alert_delivery_seconds_count\{channel="telegram #1",type="telegram"\} [12]/);
  });
});
