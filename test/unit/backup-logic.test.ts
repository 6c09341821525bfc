import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dumpCommand, restoreCommand, splitPassword } from '../../core/backup/dump-command.js';
import { backupsToRemove } from '../../core/backup/retention.js';
import { backupStamp } from '../../core/backup/run-backup.js';
import { cronProblem, freshness, previousOccurrence } from '../../core/backup/schedule.js';
import { shellJoin } from '../../core/exec/shell.js';
import { redact } from '../../server/log/json-logger.js';
import { toPgPlaceholders } from '../../server/storage/storage.js';

const day = (n: number) => new Date(Date.UTC(2026, 10, n, 6, 0, 0)).toISOString();

describe('retention', () => {
  const now = new Date(Date.UTC(2026, 10, 30, 12));
  const backups = [1, 2, 3, 10, 20, 29, 30].map((d) => ({ id: `b${d}`, startedAt: day(d) }));

  it('removes backups older than keep-days beyond the newest keep-min', () => {
    assert.deepEqual(
      backupsToRemove(backups, { keepDays: 14, keepMin: 3 }, now).map((b) => b.id),
      ['b10', 'b3', 'b2', 'b1'],
    );
  });

  it('keeps keep-min backups whatever their age, and never the newest', () => {
    const old = [1, 2, 3, 4].map((d) => ({ id: `b${d}`, startedAt: day(d) }));
    assert.deepEqual(
      backupsToRemove(old, { keepDays: 1, keepMin: 3 }, now).map((b) => b.id),
      ['b1'],
    );
    assert.deepEqual(
      backupsToRemove(old, { keepDays: 0, keepMin: 1 }, now).map((b) => b.id),
      ['b3', 'b2', 'b1'],
    );
    assert.deepEqual(backupsToRemove([{ id: 'only', startedAt: day(1) }], { keepDays: 0, keepMin: 0 }, now), []);
  });
});

describe('schedules and freshness', () => {
  it('validates cron expressions', () => {
    assert.equal(cronProblem('0 6 * * *'), null);
    assert.match(cronProblem('0 25 * * *') ?? '', /.+/);
  });

  it("finds the last due time in the schedule's time zone", () => {
    // 06:00 in Kyiv (UTC+2 in November) is 04:00 UTC.
    const at = new Date('2026-11-24T10:00:00Z');
    assert.equal(previousOccurrence('0 6 * * *', 'Europe/Kyiv', at)?.toISOString(), '2026-11-24T04:00:00.000Z');
    assert.equal(previousOccurrence('0 6 * * *', undefined, new Date('2026-11-24T05:59:00Z'))?.toISOString(), '2026-11-23T06:00:00.000Z');
    assert.equal(
      previousOccurrence('*/15 * * * *', undefined, new Date('2026-11-24T10:07:30Z'))?.toISOString(),
      '2026-11-24T10:00:00.000Z',
    );
  });

  it("is stale when the newest good backup is older than the last due run (after an hour's grace)", () => {
    const now = new Date('2026-11-24T08:00:00Z');
    assert.equal(freshness('0 6 * * *', undefined, '2026-11-24T06:00:03Z', now).status, 'fresh');
    assert.equal(freshness('0 6 * * *', undefined, '2026-11-23T06:00:03Z', now).status, 'stale');
    assert.equal(freshness('0 6 * * *', undefined, '2026-11-23T06:00:03Z', new Date('2026-11-24T06:30:00Z')).status, 'fresh');
    assert.deepEqual(freshness('0 6 * * *', undefined, undefined, now), {
      status: 'never',
      lastGoodAt: null,
      expectedSince: '2026-11-24T06:00:00.000Z',
    });
  });

  it('finds the tick a timer fired for, to the second, a little after it', () => {
    assert.equal(
      previousOccurrence('* * * * * *', undefined, new Date('2026-11-24T10:00:00.002Z'))?.toISOString(),
      '2026-11-24T10:00:00.000Z',
    );
    assert.equal(
      previousOccurrence('* * * * * *', undefined, new Date('2026-11-24T10:00:00.000Z'))?.toISOString(),
      '2026-11-24T10:00:00.000Z',
    );
    assert.equal(
      previousOccurrence('*/30 * * * *', undefined, new Date('2026-11-24T10:30:00.480Z'))?.toISOString(),
      '2026-11-24T10:30:00.000Z',
    );
    assert.equal(
      previousOccurrence('*/2 * * * * *', undefined, new Date('2026-11-24T10:00:01.999Z'))?.toISOString(),
      '2026-11-24T10:00:00.000Z',
    );
  });

  it('knows the last due run of L, # and yearly schedules (which once read "fresh" forever)', () => {
    const now = new Date('2026-11-24T08:00:00Z');
    assert.equal(previousOccurrence('0 3 L * *', undefined, now)?.toISOString(), '2026-10-31T03:00:00.000Z');
    assert.equal(previousOccurrence('0 3 * * 5#2', undefined, now)?.toISOString(), '2026-11-13T03:00:00.000Z');
    assert.equal(previousOccurrence('0 0 1 1 *', undefined, now)?.toISOString(), '2026-01-01T00:00:00.000Z');
    assert.equal(previousOccurrence('0 0 29 2 *', undefined, now)?.toISOString(), '2024-02-29T00:00:00.000Z');
    assert.equal(freshness('0 3 L * *', undefined, '2026-09-30T03:00:05Z', now).status, 'stale');
    assert.equal(freshness('0 3 L * *', undefined, '2026-10-31T03:00:05Z', now).status, 'fresh');
    assert.equal(freshness('0 3 * * 5#2', undefined, '2026-10-09T03:00:05Z', now).status, 'stale');
  });

  it('validates with the dialect the scheduler runs: 5 or 6 fields, never a schedule that never comes', () => {
    for (const ok of ['*/30 * * * *', '*/5 * * * * *', '0 3 L * *', '0 3 * * 5#2', '@daily']) assert.equal(cronProblem(ok), null, ok);
    assert.match(cronProblem('every day') ?? '', /expected 5 fields/);
    assert.match(cronProblem('0 0 0 1 1 * 2030') ?? '', /5 or 6 parts/);
    assert.match(cronProblem('0 0 30 2 *') ?? '', /never matches/);
  });
});

describe('dump and restore commands', () => {
  it('keep the password out of the arguments', () => {
    const cmd = dumpCommand({ kind: 'url', url: 'postgres://app:p%40ss@db:5432/app?sslmode=require' }, undefined);
    assert.equal(
      shellJoin(cmd.argv),
      "pg_dump --no-password --format=plain --no-owner '--dbname=postgres://app@db:5432/app?sslmode=require'",
    );
    assert.deepEqual(cmd.env, { PGPASSWORD: 'p@ss' });
    assert.deepEqual(splitPassword('postgres://u@h/d'), { url: 'postgres://u@h/d', password: undefined });
    assert.ok(!restoreCommand('postgres://u:pw@h/d').argv.join(' ').includes('pw@'));
  });

  it('dump inside the database container for a compose source', () => {
    const cmd = dumpCommand(
      { kind: 'compose', path: '/srv/app', service: 'db', database: 'app', user: 'app' },
      { flavor: 'v1', path: '/srv/app', files: [], projectName: undefined },
    );
    assert.equal(
      shellJoin(cmd.argv),
      'docker-compose exec -T db pg_dump --no-password --format=plain --no-owner --username app --dbname app',
    );
    assert.equal(cmd.cwd, '/srv/app');
  });

  it('name files by UTC time', () => {
    assert.equal(backupStamp(new Date('2026-11-24T06:00:09.123Z')), '20261124-060009');
  });
});

describe('server helpers', () => {
  it('redacts URL passwords, bearer tokens and configured secrets', () => {
    assert.equal(redact('connect postgres://app:hunter2@db/app failed'), 'connect postgres://app:[REDACTED]@db/app failed');
    assert.equal(redact('Authorization: Bearer abcdefghijklmnop'), 'Authorization: Bearer [REDACTED]');
    assert.equal(redact('PGPASSWORD=hunter2 pg_dump'), 'PGPASSWORD=[REDACTED] pg_dump');
    assert.equal(redact('token is tok_1234', ['tok_1234']), 'token is [REDACTED]');
  });

  it('turns ? placeholders into $n for PostgreSQL', () => {
    assert.equal(toPgPlaceholders('UPDATE t SET a = ?, b = ? WHERE id = ?'), 'UPDATE t SET a = $1, b = $2 WHERE id = $3');
  });
});
