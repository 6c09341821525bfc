/** The bundled server and CLI as processes: start, config errors, SIGTERM, `berth restore`. */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort, waitFor } from '../bed/system.js';
import { createDatabase, fingerprint, seed } from '../helpers/postgres.js';

const SERVER = join(process.cwd(), 'dist/server/index.js');
const CLI = join(process.cwd(), 'dist/cli/index.js');
const TOKEN = 'process-test-token-0123456789';

describe('the bundled server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-server-'));
  let source: string;
  let child: ChildProcess | undefined;
  let output = '';

  before(async () => {
    source = await createDatabase(`berth_proc_${process.pid}`);
    await seed(source, 500);
  });
  after(() => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an invalid config with the key path, starting nothing', () => {
    writeFileSync(join(dir, 'bad.yml'), 'backups:\n  - name: app\n    database-url: postgres://h/db\n    schedule: "every day"\n');
    const result = spawnSync(process.execPath, [SERVER, '--config', join(dir, 'bad.yml')], { encoding: 'utf8', cwd: dir, timeout: 30_000 });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /backups\[0\]\.schedule: 'every day' is not a valid cron expression/);
    assert.doesNotMatch(result.stderr, /at .*\.js:\d+/);
  });

  it('refuses bad checks, alerts and status-page keys, naming every key path at once', () => {
    writeFileSync(
      join(dir, 'bad-checks.yml'),
      'checks:\n  - { name: web, type: http, url: "ftp://x/", failures: 0, schedule: "*/61 * * * *" }\n  - { name: c, type: smoke }\nalerts:\n  - { type: telegram, token: t }\nstatus-page: open\n',
    );
    const result = spawnSync(process.execPath, [SERVER, '--config', join(dir, 'bad-checks.yml')], {
      encoding: 'utf8',
      cwd: dir,
      timeout: 30_000,
    });
    assert.equal(result.status, 1);
    for (const line of [
      /checks\[0\]\.url: expected an http or https URL, got 'ftp:'/,
      /checks\[0\]\.failures: expected a whole number from 1 to 1000, got 0/,
      /checks\[0\]\.schedule: '\*\/61 \* \* \* \*' is not a valid cron expression/,
      /checks\[1\]\.type: expected http, compose, tcp or postgres, got "smoke"/,
      /alerts\[0\]\.chat-id: is required/,
      /status-page: expected public or private/,
    ])
      assert.match(result.stderr, line);
    assert.equal(result.stdout, '', 'nothing started, nothing logged');
  });

  it('names the storage it cannot open, without its password, and starts nothing', () => {
    const wrong = new URL(source);
    wrong.password = 'not-the-password-42';
    writeFileSync(join(dir, 'not-a-db'), 'plain text, not SQLite\n'.repeat(200));
    for (const [url, problem] of [
      [wrong.href, /Cannot open the storage postgres:\/\/[^:]+:\[REDACTED\]@.* \(storage\.url\): password authentication failed/],
      [`sqlite:${dir}/not-a-db`, /Cannot open the storage sqlite:.*not-a-db \(storage\.url\): file is not a database/],
    ] as const) {
      writeFileSync(join(dir, 'storage.yml'), `storage: { url: "${url}" }\n`);
      const result = spawnSync(process.execPath, [SERVER, '--config', join(dir, 'storage.yml')], {
        encoding: 'utf8',
        cwd: dir,
        timeout: 30_000,
      });
      assert.equal(result.status, 1, result.stderr);
      assert.match(result.stderr, problem);
      assert.ok(!result.stderr.includes('not-the-password-42'));
    }
  });

  it('starts with no config on the embedded default, on 127.0.0.1 only', async () => {
    const port = await freePort();
    const plain = spawn(process.execPath, [SERVER], { cwd: dir, env: { ...process.env, PORT: String(port), BERTH_CONFIG: '' } });
    let log = '';
    plain.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    try {
      await waitFor(
        'the server',
        async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok === true,
        20_000,
      );
      assert.deepEqual(await (await fetch(`http://127.0.0.1:${port}/api/backups`)).json(), { backups: [], catalog: [] });
      assert.match(
        log,
        new RegExp(`listening on 127\\.0\\.0\\.1:${port} \\(storage: sqlite; 0 backup\\(s\\), 0 check\\(s\\)\\); no api-token`),
      );
    } finally {
      plain.kill('SIGTERM');
      await new Promise((resolve) => plain.on('close', resolve));
    }
  });

  it('serves the API with a token, backs up, and stops on SIGTERM after the running backup', async () => {
    const port = await freePort();
    writeFileSync(
      join(dir, 'berth.yml'),
      `port: ${port}\napi-token: \${TOKEN}\nstorage:\n  url: sqlite:${dir}/berth.db\nbackups:\n  - name: app\n    database-url: \${DB}\n    dir: ${dir}/backups\n`,
    );
    child = spawn(process.execPath, [CLI, 'server', '--config', join(dir, 'berth.yml')], {
      cwd: dir,
      env: { ...process.env, TOKEN, DB: source },
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor('the server', async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok === true, 20_000);
    assert.equal((await fetch(`http://127.0.0.1:${port}/api/backups`)).status, 401);
    const running = fetch(`http://127.0.0.1:${port}/api/backups/app?wait=true`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    // SIGTERM once the backup runs (on a busy machine the request may take a moment to arrive).
    await waitFor('the backup to start', () => output.includes('backup app: started'), 20_000);
    child.kill('SIGTERM');
    const response = await running;
    assert.equal(response.status, 201);
    const code = await new Promise<number | null>((resolve) => child?.on('close', resolve));
    assert.equal(code, 0, output);
    assert.ok(readdirSync(join(dir, 'backups')).every((name) => !name.includes('partial')));
    const lines = output
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: string; msg: string });
    assert.ok(lines.some((l) => l.msg === 'stopped'));
    assert.ok(!output.includes(TOKEN), 'the token never reaches the log');
    assert.ok(!output.includes(new URL(source).password), 'the database password never reaches the log');
  });

  it('restores with `berth restore`, checking the catalog', async () => {
    const backups = readdirSync(join(dir, 'backups')).filter((name) => name.endsWith('.sql.gz'));
    const file = join(dir, 'backups', backups[0] ?? '');
    const target = await createDatabase(`berth_proc_dst_${process.pid}`);
    const result = spawnSync(process.execPath, [CLI, 'restore', file, '--database-url', target, '--config', join(dir, 'berth.yml')], {
      encoding: 'utf8',
      env: { ...process.env, TOKEN, DB: source },
      timeout: 60_000,
    });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /sha256 checked against the catalog/);
    assert.deepEqual(await fingerprint(target), await fingerprint(source));
    const again = spawnSync(process.execPath, [CLI, 'restore', file, '--database-url', target], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(again.status, 1);
    assert.match(again.stderr, /not empty/);
    const bad = spawnSync(process.execPath, [CLI, 'restore', file], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--database-url/);
  });
});
