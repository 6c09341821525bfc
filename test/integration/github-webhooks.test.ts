/**
 * POST /webhooks/github with real payloads from @octokit/webhooks-examples, signed in the test:
 * every answer (404, 401, 400, 413, duplicates), the deployment history, the alerts it raises, a
 * storm of 1,000 deliveries over HTTP, and two servers on one PostgreSQL recording a delivery once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { deploymentsRoutes } from '../../server/http/deployments-routes.js';
import { githubWebhookRoutes } from '../../server/webhooks/github-webhook-routes.js';
import type { Storage } from '../../server/storage/storage.js';
import { openStorage } from '../../server/storage/storage.js';
import { type Harness, startAlerting } from '../helpers/alerting.js';
import { type ChatReceiver, startChatReceiver } from '../helpers/chat-receiver.js';
import { delivery, deploymentStatus, example } from '../helpers/github-webhooks.js';
import { createDatabase } from '../helpers/postgres.js';

const SECRET = 'webhook-secret-for-tests';

/** The routes GitHub and operators use, over the harness's alerting. */
function webhookApp(h: Harness, secret: string | undefined): Hono {
  const app = new Hono();
  app.route('/webhooks', githubWebhookRoutes(secret, h.alerting.github));
  app.route('/api/deployments', deploymentsRoutes(h.alerting.deployments));
  return app;
}

const count = async (storage: Storage, table: string): Promise<number> =>
  Number((await storage.all<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))[0]?.n);

describe('/webhooks/github', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-webhooks-'));
  let storage: Storage;
  let receiver: ChatReceiver;
  let h: Harness;
  let app: Hono;

  const post = async (d: ReturnType<typeof delivery>) => {
    const response = await app.request('/webhooks/github', { method: 'POST', headers: d.headers, body: d.body });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  before(async () => {
    storage = await openStorage({ kind: 'sqlite', path: join(dir, 'berth.db'), url: '' });
    receiver = await startChatReceiver();
    h = await startAlerting(storage, `alerts:\n  - { type: webhook, url: "${receiver.url}/hook" }\n`);
    app = webhookApp(h, SECRET);
  });
  after(async () => {
    await h.alerting.stop();
    await receiver.close();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 404 when no secret is configured: unsigned deliveries are never accepted', async () => {
    const response = await webhookApp(h, undefined).request('/webhooks/github', {
      method: 'POST',
      ...delivery('ping', example('ping'), undefined),
    });
    assert.equal(response.status, 404);
    assert.match(((await response.json()) as { error: string }).error, /github\.webhook-secret/);
  });

  it('answers ping with 200', async () => {
    const { status, body } = await post(delivery('ping', example('ping'), SECRET));
    assert.equal(status, 200);
    assert.equal(body.result, 'pong');
  });

  it('refuses a missing or wrong signature with 401 and records nothing', async () => {
    const payload = deploymentStatus(1001, 'success');
    const unsigned = await post(delivery('deployment_status', payload, undefined));
    const wrong = await post(delivery('deployment_status', payload, 'not-the-secret'));
    const tampered = delivery('deployment_status', payload, SECRET);
    const altered = await post({ ...tampered, body: tampered.body.replace('"success"', '"failure"') });
    assert.deepEqual([unsigned.status, wrong.status, altered.status], [401, 401, 401]);
    assert.match(String(unsigned.body.error), /^Missing signature/);
    assert.match(String(wrong.body.error), /^Wrong signature/);
    assert.equal(await count(storage, 'webhook_deliveries'), 0);
    assert.equal(await count(storage, 'deployment_statuses'), 0);
  });

  it('answers a signed body that is not JSON, or lacks its event’s fields, with 400 and records nothing', async () => {
    const malformed = await post(delivery('deployment_status', '{"deployment_status": ', SECRET));
    assert.equal(malformed.status, 400);
    assert.match(String(malformed.body.error), /^The body is not valid JSON/);
    const partial = example('deployment_status');
    delete partial.deployment;
    const missing = await post(delivery('deployment_status', partial, SECRET));
    assert.equal(missing.status, 400);
    assert.match(String(missing.body.error), /deployment: /);
    assert.equal(await count(storage, 'webhook_deliveries'), 0);
  });

  it('answers a signed delivery without its event name or delivery id with 400', async () => {
    const signed = delivery('ping', example('ping'), SECRET);
    const without = (name: string) => Object.fromEntries(Object.entries(signed.headers).filter(([key]) => key !== name));
    const noEvent = without('x-github-event');
    const noId = without('x-github-delivery');
    const withoutEvent = await app.request('/webhooks/github', { method: 'POST', headers: noEvent, body: signed.body });
    const withoutId = await app.request('/webhooks/github', { method: 'POST', headers: noId, body: signed.body });
    assert.deepEqual([withoutEvent.status, withoutId.status], [400, 400]);
    assert.match(((await withoutEvent.json()) as { error: string }).error, /X-GitHub-Event/);
    assert.match(((await withoutId.json()) as { error: string }).error, /X-GitHub-Delivery/);
  });

  it('answers a body over 5 MB with 413', async () => {
    const big = delivery('push', { padding: 'x'.repeat(5 * 1024 * 1024) }, SECRET);
    const response = await app.request('/webhooks/github', { method: 'POST', headers: big.headers, body: big.body });
    assert.equal(response.status, 413);
  });

  it('acknowledges and ignores other events', async () => {
    const { status, body } = await post(delivery('issues', example('issues'), SECRET));
    assert.equal(status, 200);
    assert.equal(body.result, 'ignored');
  });

  it('records deployment statuses as each environment’s history; a repeated delivery is ignored', async () => {
    const started = delivery('deployment_status', deploymentStatus(2001, 'in_progress', 'staging', 77), SECRET);
    assert.equal((await post(started)).body.result, 'recorded');
    assert.equal((await post(started)).body.result, 'duplicate');
    assert.equal(
      (await post(delivery('deployment_status', deploymentStatus(2002, 'success', 'staging', 77), SECRET))).body.result,
      'recorded',
    );
    const response = await app.request('/api/deployments?environment=staging');
    const answer = (await response.json()) as {
      environments: Array<{ environment: string; state: string; at: string }>;
      deployments: Array<{ id: number; state: string; sha: string; statuses: Array<{ state: string }> }>;
    };
    assert.deepEqual(answer.environments, [
      {
        environment: 'staging',
        state: 'success',
        sha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
        ref: 'master',
        at: answer.environments[0]?.at,
      },
    ]);
    assert.deepEqual(
      answer.deployments.map((d) => [d.id, d.state, d.statuses.map((s) => s.state)]),
      [[77, 'success', ['in_progress', 'success']]],
    );
    assert.equal((await app.request('/api/deployments?limit=0')).status, 400);
  });

  it('alerts on a failed deployment with its commit, the live one and a link', async () => {
    await post(delivery('deployment_status', deploymentStatus(3001, 'success', 'production', 80), SECRET));
    const failed = deploymentStatus(3002, 'failure', 'production', 81);
    Object.assign(failed.deployment_status as object, {
      description: 'health failed (rolled_back)',
      log_url: 'https://github.com/acme/shop/actions/runs/9',
    });
    assert.equal((await post(delivery('deployment_status', failed, SECRET))).body.result, 'recorded');
    const [hook] = await receiver.waitDelivered(1, '/hook');
    const body = hook?.body as { title: string; text: string; live_commit: string };
    assert.equal(body.title, 'Deploy to production failed');
    assert.match(body.text, /Commit: f95f852bd8fc \(master\)/);
    assert.match(body.text, /Error: health failed \(rolled_back\)/);
    assert.match(body.text, /Open the run: https:\/\/github\.com\/acme\/shop\/actions\/runs\/9/);
    assert.equal(body.live_commit, 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e');
  });

  it('alerts on a completed workflow run that failed, naming the workflow, branch, commit and link', async () => {
    const before = receiver.delivered('/hook').length;
    const passed = example(
      'workflow_run',
      (p) => p.action === 'completed' && (p.workflow_run as { conclusion?: string }).conclusion === 'success',
    );
    assert.equal((await post(delivery('workflow_run', passed, SECRET))).body.result, 'ignored');
    const failed = structuredClone(passed);
    Object.assign(failed.workflow_run as object, { id: 555, conclusion: 'failure', name: 'CI' });
    assert.equal((await post(delivery('workflow_run', failed, SECRET))).body.result, 'recorded');
    const hooks = await receiver.waitDelivered(before + 1, '/hook');
    const body = hooks[hooks.length - 1]?.body as { title: string; text: string };
    assert.equal(body.title, 'Workflow CI failed on master');
    assert.match(body.text, /Commit: 3484a3fb816e/);
    assert.match(body.text, /Open the run: https:\/\/github\.com\/octo-org\/octo-repo\/actions\/runs\/289782451/);
  });

  it("handles GitHub's redelivery of a delivery the storage failed mid-way: it was never marked as seen", async () => {
    // Real faults of the real database: the status cannot be written, nor can anything be deleted.
    await storage.run(
      "CREATE TRIGGER fail_status_3501 BEFORE INSERT ON deployment_statuses WHEN NEW.status_id = 3501 BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END",
    );
    await storage.run(
      "CREATE TRIGGER fail_delivery_delete BEFORE DELETE ON webhook_deliveries BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END",
    );
    const failed = delivery('deployment_status', deploymentStatus(3501, 'failure', 'production', 91), SECRET);
    try {
      const first = await app.request('/webhooks/github', { method: 'POST', headers: failed.headers, body: failed.body });
      assert.equal(first.status, 500);
    } finally {
      await storage.run('DROP TRIGGER fail_status_3501');
      await storage.run('DROP TRIGGER fail_delivery_delete');
    }
    const again = await post(failed);
    assert.equal(again.body.result, 'recorded', JSON.stringify(again.body));
    assert.equal((await post(failed)).body.result, 'duplicate');
  });

  it('takes a storm of 1,000 signed deliveries over HTTP: all answered, none lost or doubled', async () => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/github`;
    try {
      const before = await count(storage, 'deployment_statuses');
      const deliveries = Array.from({ length: 1000 }, (_, i) =>
        delivery('deployment_status', deploymentStatus(100_000 + i, 'success', `env-${i % 7}`, 50_000 + i), SECRET),
      );
      const send = (d: (typeof deliveries)[number]) =>
        fetch(url, { method: 'POST', headers: d.headers, body: d.body }).then((r) => r.status);
      // Every tenth delivery twice, at the same time, as a redelivery racing the original.
      const statuses = await Promise.all([...deliveries.map(send), ...deliveries.filter((_, i) => i % 10 === 0).map(send)]);
      assert.deepEqual([...new Set(statuses)], [200]);
      assert.equal(statuses.length, 1100);
      assert.equal((await count(storage, 'deployment_statuses')) - before, 1000);
      const big = delivery('push', { padding: 'x'.repeat(6 * 1024 * 1024) }, SECRET);
      assert.equal((await fetch(url, { method: 'POST', headers: big.headers, body: big.body })).status, 413);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('/webhooks/github, two servers on one PostgreSQL', () => {
  const storages: Storage[] = [];
  const servers: Harness[] = [];
  let receiver: ChatReceiver;

  before(async () => {
    const url = await createDatabase(`berth_webhooks_${process.pid}`);
    receiver = await startChatReceiver();
    for (let i = 0; i < 2; i++) {
      const storage = await openStorage({ kind: 'postgres', url });
      storages.push(storage);
      servers.push(await startAlerting(storage, `alerts:\n  - { type: webhook, url: "${receiver.url}/hook" }\n`));
    }
  });
  after(async () => {
    for (const server of servers) await server.alerting.stop();
    for (const storage of storages) await storage.close();
    await receiver.close();
  });

  it('records a delivery once and alerts once, whichever servers it reaches', async () => {
    const apps = servers.map((s) => webhookApp(s, SECRET));
    const failed = delivery('deployment_status', deploymentStatus(4001, 'error', 'production', 90), SECRET);
    const answers = await Promise.all(
      [...apps, ...apps].map(async (app) =>
        (await app.request('/webhooks/github', { method: 'POST', headers: failed.headers, body: failed.body })).json(),
      ),
    );
    assert.deepEqual(answers.map((a) => (a as { result: string }).result).sort(), ['duplicate', 'duplicate', 'duplicate', 'recorded']);
    await receiver.waitDelivered(1, '/hook');
    for (const server of servers) await server.alerting.service.settled();
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(receiver.delivered('/hook').length, 1);
    assert.equal(await count(storages[0] as Storage, 'deployment_statuses'), 1);
  });
});
