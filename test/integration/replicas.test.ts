/** Two bundled servers sharing one PostgreSQL storage: every scheduled tick of a check or a backup runs exactly once. */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort, waitFor } from '../bed/system.js';
import { type HttpTarget, startHttpTarget } from '../helpers/http-target.js';
import { createDatabase, query, seed } from '../helpers/postgres.js';

const SERVER = join(process.cwd(), 'dist/server/index.js');

describe('two servers on one PostgreSQL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-replicas-'));
  const servers: ChildProcess[] = [];
  let target: HttpTarget;
  let storeUrl: string;
  let logs = '';

  before(async () => {
    storeUrl = await createDatabase(`berth_replicas_${process.pid}`);
    const source = await createDatabase(`berth_replicas_src_${process.pid}`);
    await seed(source, 50);
    target = await startHttpTarget({ '/health': (_req, res) => res.end('ok') });
    writeFileSync(
      join(dir, 'berth.yml'),
      `storage: { url: "\${STORE}" }
checks:
  - { name: web, type: http, url: "${target.url}/health", schedule: "* * * * * *" }
backups:
  - { name: app, database-url: "\${DB}", dir: "\${DIR}", schedule: "*/2 * * * * *" }
`,
    );
    for (const name of ['a', 'b']) {
      const port = await freePort();
      const child = spawn(process.execPath, [SERVER, '--config', join(dir, 'berth.yml')], {
        env: { ...process.env, STORE: storeUrl, DB: source, DIR: join(dir, name), PORT: String(port) },
      });
      child.stdout?.on('data', (chunk: Buffer) => (logs += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (logs += chunk.toString()));
      servers.push(child);
      await waitFor(
        `server ${name}`,
        async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok === true,
        20_000,
      );
    }
  });

  after(async () => {
    for (const child of servers) child.kill('SIGKILL');
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs each tick once: N claimed ticks, N check results, N requests; N backups', async () => {
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 6500));
    await Promise.all(
      servers.map(
        (child) =>
          new Promise((resolve) => {
            child.once('close', resolve);
            child.kill('SIGTERM');
          }),
      ),
    );
    const claims = await query<{ job: string; tick: string; claimed_by: string }>(
      storeUrl,
      'SELECT job, tick, claimed_by FROM job_claims ORDER BY tick',
    );
    const checkTicks = claims.filter((c) => c.job === 'check:web');
    const backupTicks = claims.filter((c) => c.job === 'backup:app');
    const [results] = await query<{ n: number }>(storeUrl, "SELECT count(*)::int AS n FROM check_results WHERE check_name = 'web'");
    const backups = await query<{ status: string }>(storeUrl, "SELECT status FROM backups WHERE name = 'app'");
    const files = ['a', 'b'].flatMap((name) => {
      try {
        return readdirSync(join(dir, name)).filter((f) => f.endsWith('.sql.gz'));
      } catch {
        return [];
      }
    });
    const summary = `claims: ${JSON.stringify(claims)}\nlogs:\n${logs}`;
    const elapsedSeconds = (Date.now() - started) / 1000;
    assert.ok(checkTicks.length >= 5, summary);
    // Ticks are the schedule's times, the same on both servers: whole seconds, at most one a second.
    assert.ok(checkTicks.length <= Math.ceil(elapsedSeconds) + 2, summary);
    assert.ok(
      claims.every((c) => c.tick.endsWith('.000Z')),
      summary,
    );
    assert.equal(new Set(checkTicks.map((c) => c.tick)).size, checkTicks.length);
    assert.equal(results?.n, checkTicks.length, summary);
    assert.equal(target.hits.get('/health'), checkTicks.length, summary);
    assert.ok(backupTicks.length >= 2, summary);
    assert.equal(backups.length, backupTicks.length, summary);
    assert.ok(
      backups.every((b) => b.status === 'succeeded'),
      JSON.stringify(backups),
    );
    assert.equal(files.length, backupTicks.length, files.join(' '));
    console.error(
      `replicas: ${checkTicks.length} check ticks (a ${checkTicks.filter((c) => c.claimed_by.endsWith(`:${servers[0]?.pid}`)).length}, b ${checkTicks.filter((c) => c.claimed_by.endsWith(`:${servers[1]?.pid}`)).length}), ${backupTicks.length} backup ticks`,
    );
  });
});
