/** The bundled server's status page in a real browser (Chromium), its login, and /metrics. */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../core/log.js';
import { BackupService } from '../../server/backups/backup-service.js';
import { CheckService } from '../../server/checks/check-service.js';
import { createApp } from '../../server/http/app.js';
import { BackupCatalog } from '../../server/storage/backup-catalog.js';
import { CheckStore } from '../../server/storage/check-store.js';
import { openStorage } from '../../server/storage/storage.js';
import { freePort, waitFor } from '../bed/system.js';
import { testbed } from '../bed/testbed.js';
import { launchChromium, type TestBrowser } from '../helpers/browser.js';
import { type HttpTarget, startHttpTarget } from '../helpers/http-target.js';
import { createDatabase, query } from '../helpers/postgres.js';

const SERVER = join(process.cwd(), 'dist/server/index.js');
const TOKEN = 'status-page-token-0123456789';

describe('the status page in Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-status-'));
  let target: HttpTarget;
  let healthy = true;
  let server: ChildProcess | undefined;
  let output = '';
  let base = '';
  let chromium: TestBrowser;

  before(async () => {
    // Down, it answers with markup in a header the error repeats: the page must show it as text.
    target = await startHttpTarget({
      '/health': (_req, res) =>
        healthy ? res.end('ok') : res.writeHead(503, { Location: '/x"><img src=x onerror=alert(1)>' }).end('maintenance'),
    });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    writeFileSync(
      join(dir, 'berth.yml'),
      `port: ${port}
api-token: \${TOKEN}
storage: { url: "sqlite:${dir}/berth.db" }
checks:
  - { name: web, type: http, url: "${target.url}/health", schedule: "* * * * * *", failures: 2 }
  - { name: db, type: postgres, url: "\${DB}", schedule: "*/2 * * * * *" }
backups:
  - { name: app, database-url: "\${DB}", dir: "${dir}/backups" }
`,
    );
    server = spawn(process.execPath, [SERVER, '--config', join(dir, 'berth.yml')], {
      env: { ...process.env, TOKEN, DB: testbed().postgresUrl },
    });
    server.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor('the server', async () => (await fetch(`${base}/healthz`).catch(() => undefined))?.ok === true, 20_000);
    chromium = await launchChromium({ viewport: { width: 390, height: 844 } });
  });

  after(async () => {
    await chromium?.close();
    server?.kill('SIGTERM');
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks for the token, then shows the checks, and a check going down after it fails, with no console errors', async () => {
    const page = await chromium.context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
    page.on('request', (request) => {
      if (!request.url().startsWith(base) && !request.url().startsWith('data:')) problems.push(`external request: ${request.url()}`);
    });

    const login = await page.goto(`${base}/`);
    assert.equal(login?.url(), `${base}/login`);
    assert.equal(login?.status(), 200);
    await page.fill('#token', 'not-the-token-at-all');
    await page.click('button[type=submit]');
    assert.match((await page.textContent('.error')) ?? '', /not the API token/);
    await page.fill('#token', TOKEN);
    await Promise.all([page.waitForURL(`${base}/`), page.click('button[type=submit]')]);

    const health = async (): Promise<string | null> => {
      await page.reload();
      return page.getAttribute('[data-check="web"]', 'data-health');
    };
    await waitFor('web to be up', async () => (await health()) === 'up', 15_000);
    // The stylesheet is read whole: its quoted font names are not HTML-escaped inside <style>.
    assert.match(String(await page.evaluate('getComputedStyle(document.body).fontFamily')), /^system-ui/);
    assert.match((await page.textContent('header .pill')) ?? '', /All checks up|Waiting/);
    healthy = false;
    await waitFor('web to go down', async () => (await health()) === 'down', 15_000);
    assert.match((await page.textContent('[data-check="web"] .state')) ?? '', /Down for/);
    assert.match(
      (await page.textContent('[data-check="web"] .error')) ?? '',
      /answered 503 \(redirect to \/x"><img src=x onerror=alert\(1\)>\)/,
    );
    assert.equal(await page.locator('img').count(), 0, 'markup in an error is text, never elements');
    assert.match((await page.textContent('header .pill')) ?? '', /1 check down/);
    assert.equal((await page.locator('[data-check="web"] .history span.fail').count()) >= 2, true);
    assert.match((await page.textContent('main')) ?? '', /No deploys recorded/);
    await page.screenshot({ path: join(testbed().dir, 'status-page.png'), fullPage: true });
    assert.deepEqual(problems, []);
    healthy = true;
  });

  it('lets the bearer token in without a cookie, and keeps everyone else out', async () => {
    assert.equal((await fetch(`${base}/`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status, 200);
    const anonymous = await fetch(`${base}/`, { redirect: 'manual' });
    assert.equal(anonymous.status, 303);
    assert.equal(anonymous.headers.get('location'), '/login');
    assert.doesNotMatch(await anonymous.text(), /data-check/);
    const forged = await fetch(`${base}/`, {
      redirect: 'manual',
      headers: { Cookie: `berth_session=${Date.now() + 1e9}.bm90LWEtc2lnbmF0dXJl` },
    });
    assert.equal(forged.status, 303);
  });

  it('refuses a login form over 64 KiB before reading it, with or without a length', async () => {
    const form = (bytes: number) => `token=${'a'.repeat(bytes - 'token='.length)}`;
    const login = (body: string | ReadableStream<Uint8Array>) =>
      fetch(`${base}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
        redirect: 'manual',
        duplex: 'half',
      } as RequestInit);
    assert.equal((await login(form(64 * 1024))).status, 200, 'the form at the limit is read (a wrong token)');
    assert.equal((await login(form(64 * 1024 + 1))).status, 413);
    const chunks = Array.from({ length: 64 }, () => new TextEncoder().encode('a'.repeat(1024 * 1024)));
    const endless = new ReadableStream<Uint8Array>({
      pull: (controller) => {
        const chunk = chunks.pop();
        if (chunk) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const chunked = await login(endless);
    assert.equal(chunked.status, 413);
    assert.match(await chunked.text(), /over 64 KiB/);
  });

  it('serves Prometheus metrics behind the token: check state and latency, backup result and process metrics', async () => {
    assert.equal((await fetch(`${base}/metrics`)).status, 401);
    const response = await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/plain/);
    const text = await response.text();
    assert.match(text, /^berth_check_up\{check="web",type="http"\} [01]$/m);
    assert.match(text, /^berth_check_up\{check="db",type="postgres"\} 1$/m);
    assert.match(text, /^berth_check_duration_seconds_count\{check="web",type="http",result="(ok|fail)"\} \d+$/m);
    assert.match(text, /^berth_backup_fresh\{backup="app"\} 0$/m);
    assert.match(text, /^berth_process_resident_memory_bytes \d+/m);
    assert.ok(!output.includes(TOKEN), 'the token never reaches the log');
    assert.ok(!output.includes(new URL(testbed().postgresUrl).password), 'the database password never reaches the log');
    for (const line of output.trim().split('\n')) JSON.parse(line); // every log line is JSON
  });
});

describe('a public status page', () => {
  it('needs no token, while /api still does', async () => {
    const root = mkdtempSync(join(tmpdir(), 'berth-public-'));
    const storage = await openStorage({ kind: 'sqlite', path: join(root, 'berth.db'), url: '' });
    try {
      const catalog = new BackupCatalog(storage);
      const checks = new CheckService([], { store: new CheckStore(storage), alerts: { raise: () => undefined }, logger: silentLogger });
      const deps = { apiToken: TOKEN, backups: new BackupService([], catalog, silentLogger), catalog, checks, logger: silentLogger };
      const open = createApp({ ...deps, statusPage: 'public', host: 'vps-1' });
      const page = await open.request('/');
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<title>berth · vps-1<\/title>[\s\S]*No checks in berth.yml/);
      assert.equal((await open.request('/api/checks')).status, 401);
      const closed = createApp({ ...deps, statusPage: 'private' });
      assert.equal((await closed.request('/')).status, 303);
    } finally {
      await storage.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the status page and metrics while the storage is away', () => {
  it('show the checks as the server knows them, say the storage is away, and keep /metrics answering', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-away-'));
    const name = `berth_status_away_${process.pid}`;
    const url = await createDatabase(name);
    const admin = testbed().postgresUrl;
    const target = await startHttpTarget({ '/health': (_req, res) => res.end('ok') });
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    writeFileSync(
      join(dir, 'berth.yml'),
      `port: ${port}
api-token: \${TOKEN}
storage: { url: "\${STORE}" }
checks:
  - { name: web, type: http, url: "${target.url}/health", schedule: "* * * * * *", failures: 1 }
backups:
  - { name: app, database-url: "\${STORE}", dir: "${dir}/backups" }
`,
    );
    const server = spawn(process.execPath, [SERVER, '--config', join(dir, 'berth.yml')], { env: { ...process.env, TOKEN, STORE: url } });
    let output = '';
    server.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const get = (path: string) => fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    try {
      await waitFor(
        'web to be up',
        async () =>
          (await (await get('/metrics').catch(() => undefined))?.text())?.includes('berth_check_up{check="web",type="http"} 1') === true,
        20_000,
      );
      // Like a restart of PostgreSQL that takes a while: new connections refused, open ones cut.
      await query(admin, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await query(admin, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      const page = await get('/');
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /The storage cannot be read \(/);
      assert.match(html, /data-check="web" data-health="up"/);
      const metrics = await get('/metrics');
      assert.equal(metrics.status, 200);
      const text = await metrics.text();
      assert.match(text, /^berth_storage_up 0$/m);
      assert.match(text, /^berth_check_up\{check="web",type="http"\} 1$/m);
      assert.match(text, /^berth_process_resident_memory_bytes \d+/m);
      const checks = await get('/api/checks');
      assert.equal(checks.status, 200);
      assert.equal(((await checks.json()) as { checks: Array<{ health: string }> }).checks[0]?.health, 'up');
      await query(admin, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      await waitFor('the storage to answer again', async () => /^berth_storage_up 1$/m.test(await (await get('/metrics')).text()), 20_000);
      assert.doesNotMatch(await (await get('/')).text(), /The storage cannot be read/);
      assert.ok(!output.includes(new URL(url).password), 'the database password never reaches the log');
    } finally {
      await query(admin, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      server.kill('SIGTERM');
      await new Promise((resolve) => server.on('close', resolve));
      await target.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
