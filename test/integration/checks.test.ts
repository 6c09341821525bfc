/** Health checks against real local targets: HTTP servers, TCP ports, the test PostgreSQL and a Compose project. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '../../server/config/load-config.js';
import type { CheckConfig } from '../../server/config/server-config.js';
import { runCheck } from '../../server/checks/run-check.js';
import { freePort } from '../bed/system.js';
import { BASE_IMAGE } from '../bed/busybox-image.js';
import { bigBody, type HttpTarget, startHttpTarget } from '../helpers/http-target.js';
import { dbUrl, query } from '../helpers/postgres.js';
import { testbed } from '../bed/testbed.js';

/** One check from berth.yml text, so tests go through the same parsing users do. */
function check(yaml: string): CheckConfig {
  const [config] = parseConfig(`checks:\n  - ${yaml}\n`, {}).checks;
  assert.ok(config);
  return config;
}

describe('http checks', () => {
  let target: HttpTarget;
  before(async () => {
    target = await startHttpTarget({
      '/ok': (_req, res) => res.end('all good: ready'),
      '/teapot': (_req, res) => res.writeHead(418).end(),
      '/moved': (_req, res) => res.writeHead(301, { location: '/ok' }).end(),
      '/hang': () => undefined,
      '/slow-body': (_req, res) => {
        res.writeHead(200);
        res.write('start');
      },
      '/huge': bigBody(50 * 1024 * 1024),
      '/huge-marked': bigBody(50 * 1024 * 1024, 'MARKER'),
    });
  });
  after(() => target.close());

  it('passes on 2xx, and on a listed status; fails on any other, naming it', async () => {
    assert.deepEqual((await runCheck(check(`{ name: a, type: http, url: "${target.url}/ok" }`))).ok, true);
    const teapot = await runCheck(check(`{ name: a, type: http, url: "${target.url}/teapot" }`));
    assert.equal(teapot.ok, false);
    assert.match(teapot.error ?? '', /\/teapot answered 418, expected a 2xx status/);
    assert.equal(teapot.details?.status, 418);
    assert.equal((await runCheck(check(`{ name: a, type: http, url: "${target.url}/teapot", status: [200, 418] }`))).ok, true);
  });

  it('checks `contains` in the body', async () => {
    assert.equal((await runCheck(check(`{ name: a, type: http, url: "${target.url}/ok", contains: ready }`))).ok, true);
    const missing = await runCheck(check(`{ name: a, type: http, url: "${target.url}/ok", contains: "not here" }`));
    assert.match(missing.error ?? '', /do not contain "not here"/);
  });

  it('does not follow redirects unless asked', async () => {
    const plain = await runCheck(check(`{ name: a, type: http, url: "${target.url}/moved" }`));
    assert.match(plain.error ?? '', /answered 301 \(redirect to \/ok\)/);
    assert.equal((await runCheck(check(`{ name: a, type: http, url: "${target.url}/moved", status: 301 }`))).ok, true);
    assert.equal(
      (await runCheck(check(`{ name: a, type: http, url: "${target.url}/moved", follow-redirects: true, contains: good }`))).ok,
      true,
    );
  });

  it('honours the timeout of a target that never answers, or stops mid-body', async () => {
    const hang = await runCheck(check(`{ name: a, type: http, url: "${target.url}/hang", timeout: 0.3 }`));
    assert.equal(hang.ok, false);
    assert.match(hang.error ?? '', /no answer within 0.3 s/);
    assert.ok(hang.latencyMs < 1300, `took ${hang.latencyMs} ms`);
    const body = await runCheck(check(`{ name: a, type: http, url: "${target.url}/slow-body", timeout: 0.3, contains: never }`));
    assert.match(body.error ?? '', /no answer within 0.3 s/);
  });

  it('reads at most 1 MB of a 50 MB answer, and none of it without `contains`', async () => {
    const plain = await runCheck(check(`{ name: a, type: http, url: "${target.url}/huge" }`));
    assert.equal(plain.ok, true);
    const searched = await runCheck(check(`{ name: a, type: http, url: "${target.url}/huge", contains: MARKER }`));
    assert.match(searched.error ?? '', /first 1024 KB do not contain "MARKER"/);
    assert.equal((await runCheck(check(`{ name: a, type: http, url: "${target.url}/huge-marked", contains: MARKER }`))).ok, true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const path of ['/huge', '/huge-marked'])
      assert.ok((target.sent.get(path) ?? 0) < 16 * 1024 * 1024, `${path}: the server wrote ${target.sent.get(path)} bytes`);
  });

  it('reports a refused connection', async () => {
    const port = await freePort();
    const refused = await runCheck(check(`{ name: a, type: http, url: "http://127.0.0.1:${port}/" }`));
    assert.match(refused.error ?? '', /ECONNREFUSED/);
  });
});

describe('tcp and postgres checks', () => {
  it('connects to an open port and names a closed one', async () => {
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      assert.equal((await runCheck(check(`{ name: t, type: tcp, host: 127.0.0.1, port: ${port} }`))).ok, true);
    } finally {
      server.close();
    }
    const closed = await freePort();
    assert.match((await runCheck(check(`{ name: t, type: tcp, host: 127.0.0.1, port: ${closed} }`))).error ?? '', /ECONNREFUSED/);
  });

  it('runs SELECT 1 against PostgreSQL, and never shows the password', async () => {
    const ok = await runCheck(check(`{ name: db, type: postgres, url: "${testbed().postgresUrl}" }`));
    assert.equal(ok.ok, true, ok.error);
    await query(
      testbed().postgresUrl,
      `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'berth_check') THEN CREATE ROLE berth_check LOGIN PASSWORD 'right'; END IF; END $$`,
    );
    const wrong = await runCheck(check(`{ name: db, type: postgres, url: "${dbUrl('postgres', 'berth_check', 'Wr0ngPassw0rd')}" }`));
    assert.equal(wrong.ok, false);
    assert.match(wrong.error ?? '', /password authentication failed/);
    assert.doesNotMatch(JSON.stringify(wrong), /Wr0ngPassw0rd/);
    assert.match(wrong.error ?? '', /berth_check:\*\*\*@/);
  });

  it('times out on a PostgreSQL port that accepts and never answers', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const result = await runCheck(check(`{ name: db, type: postgres, url: "postgres://u:secretpw@127.0.0.1:${port}/db", timeout: 0.3 }`));
      assert.equal(result.ok, false);
      assert.ok(result.latencyMs < 1300, `took ${result.latencyMs} ms`);
      assert.doesNotMatch(result.error ?? '', /secretpw/);
    } finally {
      silent.close();
    }
  });
});

describe('compose checks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-compose-check-'));
  const project = `berth-check-${process.pid}`;
  const compose = (...args: string[]) => execFileSync('docker-compose', ['--project-name', project, ...args], { cwd: dir, stdio: 'pipe' });

  before(() => {
    writeFileSync(
      join(dir, 'docker-compose.yml'),
      `version: '2.4'
services:
  web:
    image: ${BASE_IMAGE}
    network_mode: host
    command: ["sh", "-c", "echo web up; exec sleep 3600"]
    healthcheck: { test: ["CMD", "true"], interval: 1s, retries: 1 }
  worker:
    image: ${BASE_IMAGE}
    network_mode: host
    command: ["sh", "-c", "echo worker line 1; echo worker line 2; exec sleep 3600"]
`,
    );
    compose('up', '--detach');
  });
  after(() => {
    compose('down', '--timeout', '0');
    rmSync(dir, { recursive: true, force: true });
  });

  const composeCheck = () => check(`{ name: c, type: compose, path: "${dir}", project-name: ${project}, timeout: 30 }`);

  it('passes when every service runs and is healthy, and names the stopped one with its last log lines', async () => {
    let result = await runCheck(composeCheck());
    for (let i = 0; i < 50 && !result.ok && /starting/.test(result.error ?? ''); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      result = await runCheck(composeCheck());
    }
    assert.equal(result.ok, true, result.error);
    compose('kill', 'worker');
    const down = await runCheck(composeCheck());
    assert.equal(down.ok, false);
    assert.match(down.error ?? '', /^worker is exited \(code 137\)$/);
    assert.deepEqual(down.details?.failingServices, ['worker']);
    assert.match(down.details?.logTail ?? '', /worker line 1[\s\S]*worker line 2/);
    assert.doesNotMatch(down.details?.logTail ?? '', /web up/);
  });

  it('fails clearly for a folder that is no Compose project', async () => {
    const result = await runCheck(check(`{ name: c, type: compose, path: "${tmpdir()}", timeout: 30 }`));
    assert.equal(result.ok, false);
    assert.match(
      result.error ?? '',
      /compose project .*: exit 1: .*Can't find a suitable configuration file in this directory or any parent\./,
    );
  });

  it('says a folder does not exist or is a file, instead of Compose\'s "spawn docker-compose ENOENT"', async () => {
    const missing = await runCheck(check(`{ name: c, type: compose, path: "${dir}/gone", timeout: 30 }`));
    assert.equal(missing.error, `compose project ${dir}/gone: the folder does not exist`);
    const file = await runCheck(check(`{ name: c, type: compose, path: "${dir}/docker-compose.yml", timeout: 30 }`));
    assert.equal(file.error, `compose project ${dir}/docker-compose.yml: is not a folder`);
  });
});
