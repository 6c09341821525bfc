/**
 * Alerts through the bundled server as a process: bad alert config refused with key paths, and an
 * alert not delivered when the server stops (SIGTERM mid-post) or dies (SIGKILL) sent after it starts.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort, waitFor } from '../bed/system.js';
import { type ChatReceiver, startChatReceiver } from '../helpers/chat-receiver.js';
import { delivery, example } from '../helpers/github-webhooks.js';

const SERVER = join(process.cwd(), 'dist/server/index.js');
const SECRET = 'process-webhook-secret';
const TOKEN = 'process-api-token-0123456789';
const SLACK_PATH = '/services/T0AAA/B0BBB/slack-secret-0123456789abcd';

describe('alerts in the bundled server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-alerts-proc-'));
  let receiver: ChatReceiver;
  let port: number;
  let child: ChildProcess | undefined;
  let output = '';

  before(async () => {
    receiver = await startChatReceiver();
    port = await freePort();
    const downPort = await freePort();
    writeFileSync(
      join(dir, 'berth.yml'),
      `port: ${port}
api-token: \${TOKEN}
storage: { url: "sqlite:${dir}/berth.db" }
alerts:
  - { type: webhook, url: "${receiver.url}/hook" }
  - { type: slack, url: "${receiver.url}${SLACK_PATH}" }
backups:
  - { name: app, database-url: "postgres://app:db-password-123@127.0.0.1:${downPort}/app", dir: "${dir}/backups" }
github:
  webhook-secret: \${SECRET}
`,
    );
  });
  after(async () => {
    child?.kill('SIGKILL');
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(): Promise<ChildProcess> {
    const started = spawn(process.execPath, [SERVER, '--config', join(dir, 'berth.yml')], {
      cwd: dir,
      env: { ...process.env, SECRET, TOKEN },
    });
    started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor('the server', async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok === true, 20_000);
    child = started;
    return started;
  }

  async function stop(process: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
    const closed = new Promise<number | null>((resolve) => process.on('close', resolve));
    process.kill(signal);
    return closed;
  }

  /** A workflow run that failed, signed: the server raises an alert for it. */
  async function failWorkflow(runId: number): Promise<void> {
    const payload = example('workflow_run', (p) => p.action === 'completed');
    Object.assign(payload.workflow_run as object, { id: runId, conclusion: 'failure', name: 'CI' });
    const d = delivery('workflow_run', payload, SECRET);
    const response = await fetch(`http://127.0.0.1:${port}/webhooks/github`, { method: 'POST', headers: d.headers, body: d.body });
    assert.equal(response.status, 200, await response.text());
  }

  it('refuses bad alert channels, naming each key path, and starts nothing', () => {
    writeFileSync(
      join(dir, 'bad.yml'),
      `alerts:
  - { type: pigeon, url: "https://example.com" }
  - { type: telegram, chat-id: "-100123" }
  - { type: telegram, token: "1:a", chat-id: "-1", api-url: "ftp://proxy" }
  - { type: webhook, url: "mailto:ops@example.com" }
  - { type: slack }
  - { type: discord, url: "https://discord.com/api/webhooks/1/x", username: berth }
github: { webhook-secret: s, events: [push] }
`,
    );
    const result = spawnSync(process.execPath, [SERVER, '--config', join(dir, 'bad.yml')], { encoding: 'utf8', cwd: dir, timeout: 30_000 });
    assert.equal(result.status, 1);
    for (const line of [
      /alerts\[0\]\.type: expected slack, discord, telegram or webhook, got "pigeon"/,
      /alerts\[1\]\.token: is required/,
      /alerts\[2\]\.api-url: expected an http or https URL, got 'ftp:'/,
      /alerts\[3\]\.url: expected an http or https URL, got 'mailto:'/,
      /alerts\[4\]\.url: is required/,
      /alerts\[5\]\.username: unknown key \(known: type, url\)/,
      /github\.events: unknown key \(known: webhook-secret\)/,
    ])
      assert.match(result.stderr, line);
    assert.doesNotMatch(result.stderr, /at .*\.js:\d+/);
  });

  it('sends after a restart what was being posted when SIGTERM came', async () => {
    receiver.script('/hook', 'hang');
    const first = await start();
    await failWorkflow(7001);
    await waitFor('the first try', () => receiver.received.some((r) => r.path === '/hook'));
    assert.equal(await stop(first, 'SIGTERM'), 0, output);
    assert.equal(receiver.delivered('/hook').length, 0);
    const second = await start();
    const [hook] = await receiver.waitDelivered(1, '/hook');
    assert.equal((hook?.body as { title: string }).title, 'Workflow CI failed on main');
    assert.equal((await fetch(`http://127.0.0.1:${port}/api/alerts`)).status, 401, 'the API needs the token; the webhook did not');
    const authorized = { headers: { Authorization: `Bearer ${TOKEN}` } };
    assert.equal((await fetch(`http://127.0.0.1:${port}/api/alerts?limit=abc`, authorized)).status, 400);
    const answer = (await (await fetch(`http://127.0.0.1:${port}/api/alerts`, authorized)).json()) as {
      alerts: Array<{ kind: string; delivery: string; deliveries: Array<{ attempts: number }> }>;
    };
    assert.deepEqual(
      answer.alerts.map((a) => [a.kind, a.delivery, a.deliveries[0]?.attempts]),
      [['workflow_failed', 'delivered', 1]],
    );
    assert.equal(await stop(second, 'SIGTERM'), 0);
  });

  it('alerts on a failed backup with its error, without the database password', async () => {
    const server = await start();
    const before = receiver.delivered('/hook').length;
    const response = await fetch(`http://127.0.0.1:${port}/api/backups/app?wait=true`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(response.status, 500);
    const hooks = await receiver.waitDelivered(before + 1, '/hook');
    const body = hooks[hooks.length - 1]?.body as { title: string; text: string; severity: string };
    assert.equal(body.title, 'Backup app failed');
    assert.equal(body.severity, 'critical');
    assert.match(body.text, /Error: .*(refused|connect)/i);
    assert.ok(!JSON.stringify(body).includes('db-password-123'));
    assert.equal(await stop(server, 'SIGTERM'), 0);
  });

  it('sends after a restart what was being posted when the server was killed', async () => {
    receiver.script('/hook', 'hang');
    const first = await start();
    const before = receiver.received.length;
    await failWorkflow(7002);
    await waitFor('the first try', () => receiver.received.length > before);
    await stop(first, 'SIGKILL');
    const second = await start();
    await receiver.waitDelivered(2, '/hook').catch((error: unknown) => {
      console.log(output);
      throw error;
    });
    assert.ok(output.includes('interrupted by the last stop will be sent again'), output);
    assert.ok(!output.includes(SECRET) && !output.includes(TOKEN), 'the webhook secret and the token never reach the log');
    assert.equal(await stop(second, 'SIGTERM'), 0);
  });

  it("keeps a Slack URL's secret out of the log and the API when a proxy echoes the path", async () => {
    receiver.script(SLACK_PATH, 'echo', 'echo', 'echo');
    const server = await start();
    await failWorkflow(7003);
    await waitFor('the first failed try in the log', () => /slack #1 .*try 1 of 3 failed: HTTP 500: Cannot POST/.test(output));
    const authorized = { headers: { Authorization: `Bearer ${TOKEN}` } };
    const alerts = await (await fetch(`http://127.0.0.1:${port}/api/alerts`, authorized)).text();
    assert.match(alerts, /Cannot POST \/services\/T0AAA\/B0BBB\/\[REDACTED\]/);
    for (const text of [output, alerts]) assert.ok(!text.includes('slack-secret-0123456789abcd'), text);
    assert.equal(await stop(server, 'SIGTERM'), 0);
  });
});
