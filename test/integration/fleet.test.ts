/**
 * Runs on several hosts, end to end: the test bed's three sshds are three "hosts" of one app (each
 * its own checkout, Compose project and port on the one Docker engine). One app and one sequence of
 * runs, each test starting from what the one before left running.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EngineDeps } from '../../core/engine/engine-deps.js';
import type { Outcome } from '../../core/engine/outcome.js';
import { runCommand } from '../../core/engine/run-command.js';
import { runChecked } from '../../core/exec/executor.js';
import { acquireLock } from '../../core/release/deploy-lock.js';
import type { InputName } from '../../core/settings/input-names.js';
import { connectSsh, type SshConnection } from '../../core/ssh/ssh-connection.js';
import { freePort, waitFor } from '../bed/system.js';
import { testbed } from '../bed/testbed.js';
import { runAction, startAction } from '../helpers/action-runner.js';
import { bedInputs, type RecordingReporter, recordingReporter, settingsFrom } from '../helpers/engine.js';
import { type BedHost, createFleetApp, type FleetApp } from '../helpers/fleet-app.js';
import { pushEvent } from '../helpers/github-events.js';
import { htmlText, summaryTables } from '../helpers/runner-log.js';
import { bedSettings } from '../helpers/ssh.js';

/** The processes on the server (this machine) whose command line contains `text`. */
function processes(text: string): string[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps.stdout.split('\n').filter((line) => line.includes(text) && !line.includes('ps -eo'));
}

/**
 * The example app's web service, needing GREETING, which the second host's .env lacks: `otherwise`
 * is what its container does without it; `more` adds to the service.
 */
const composeNeedingGreeting = (otherwise: string, more = '') => `version: '2.4'
services:
  web:
    build: .
    network_mode: host
    init: true
    environment:
      PORT: '\${APP_PORT:-18080}'
      GREETING: '\${GREETING:-}'
    command: ['sh', '-c', 'test -n "$$GREETING" || ${otherwise}; exec httpd -f -v -p 127.0.0.1:$$PORT -h /www']
    restart: unless-stopped
${more}`;
/** v3 without GREETING exits at once. */
const COMPOSE_NEEDING_GREETING = composeNeedingGreeting('{ echo "GREETING is not set" >&2; exit 1; }');
/** vC without GREETING starts but never serves, and has no Docker healthcheck: its health check waits. */
const COMPOSE_WAITING_FOR_GREETING = composeNeedingGreeting('sleep 3600', '    healthcheck:\n      disable: true\n');

describe('runs on several hosts', () => {
  let admin: SshConnection;
  let fleet: FleetApp;
  let h1: BedHost, h2: BedHost, h3: BedHost;
  const commits = { v1: '', v2: '', v3: '' };

  const inputs = (hosts: readonly BedHost[], extra: Partial<Record<InputName, string>> = {}) =>
    bedInputs({ host: fleet.hostInput(hosts), port: '', 'known-hosts': fleet.knownHosts, 'health-timeout': '30', ...extra });
  /** Runs a command on the hosts through the engine, as the action does, with no connect retries. */
  const run = async (hosts: readonly BedHost[], extra: Partial<Record<InputName, string>>): Promise<[Outcome, RecordingReporter]> => {
    const reporter = recordingReporter();
    const settings = settingsFrom(inputs(hosts, extra));
    const deps: EngineDeps = {
      reporter,
      connect: (ssh) => connectSsh({ ...ssh, connectRetries: 0 }),
      lint: async () => {},
      owner: 'fleet.test',
    };
    return [await runCommand(settings, deps), reporter];
  };
  const pages = () => Promise.all(fleet.hosts.map((host) => fleet.page(host)));
  const head = async (host: BedHost) => (await runChecked(admin, ['git', '-C', host.path, 'rev-parse', 'HEAD'])).stdout.trim();
  const rows = (outcome: Outcome) =>
    outcome.hosts.map((row) => [row.host, row.status, row.commit?.slice(0, 12) ?? '-', row.failedStep ?? '-']);
  const short = (commit: string) => commit.slice(0, 12);
  const lockFree = async (host: BedHost) => {
    const release = await acquireLock(admin, `${host.path}/.git/berth/lock`, { timeoutMs: 0, owner: 'fleet.test' });
    await release();
  };
  /** A host label (dots, brackets) as a RegExp matching it literally. */
  const pattern = (text: string) => text.replace(/[.[\]]/g, '\\$&');

  before(async () => {
    admin = await connectSsh(bedSettings());
    fleet = await createFleetApp(admin, `fleet-${process.pid}`, [{ GREETING: 'hello' }, {}, { GREETING: 'hello' }]);
    [h1, h2, h3] = fleet.hosts as [BedHost, BedHost, BedHost];
    commits.v1 = await fleet.repo.commit({ 'www/index.html': 'version 1\n' }, 'v1');
    commits.v2 = await fleet.repo.commit({ 'www/index.html': 'version 2\n' }, 'v2');
    commits.v3 = await fleet.repo.commit({ 'docker-compose.yml': COMPOSE_NEEDING_GREETING, 'www/index.html': 'version 3\n' }, 'v3');
  });

  after(async () => {
    await fleet.remove();
    await admin.close();
  });

  it('a rolling deploy through the bundle: each host prepared, then switched in turn; hosts output and summary rows', async () => {
    const action = await runAction({ with: inputs(fleet.hosts), event: pushEvent(commits.v1) });
    assert.equal(action.code, 0, action.output);
    assert.equal(action.outputs.status, 'succeeded');
    assert.equal(action.outputs['deployed-ref'], commits.v1);
    assert.deepEqual(
      (JSON.parse(action.outputs.hosts ?? '') as Array<Record<string, unknown>>).map(({ host, status, commit, failedStep }) => [
        host,
        status,
        commit,
        failedStep,
      ]),
      fleet.hosts.map((host) => [host.label, 'succeeded', commits.v1, null]),
    );
    assert.deepEqual(await pages(), ['200 version 1', '200 version 1', '200 version 1']);
    // Every host is prepared before the first switches, and they switch in the order given.
    assert.deepEqual(
      action.groups.map((group) => group.title),
      [...fleet.hosts.map((host) => `${host.label}: prepare`), ...fleet.hosts.map((host) => `${host.label}: switch`)],
    );
    const prepare = action.groups[1]?.lines.slice(1) ?? []; // after the group's own title line
    assert.ok(prepare.length > 0 && prepare.every((line) => line.startsWith(`[${h2.label}] `)), prepare.join('\n'));
    assert.ok(prepare.some((line) => line.includes('▸ Build the new version')));
    const [table] = summaryTables(action.summary);
    assert.deepEqual(table?.[0], ['host', 'status', 'commit', 'duration', 'failed step']);
    assert.deepEqual(
      table?.slice(1).map((row) => [row[0], row[1], row[2], row[4]]),
      fleet.hosts.map((host) => [host.label, '✅ succeeded', short(commits.v1), '—']),
    );
    assert.match(htmlText(action.summary), /berth deploy: succeeded/);
  });

  it('parallel 2: the first two hosts switch together, the third after them', async () => {
    const [outcome, reporter] = await run(fleet.hosts, { ref: commits.v2, parallel: '2' });
    assert.equal(outcome.status, 'succeeded', reporter.text());
    assert.deepEqual(await pages(), ['200 version 2', '200 version 2', '200 version 2']);
    const at = (host: BedHost, line: string) => reporter.lines.findIndex((l) => l.startsWith(`[${host.label}] ${line}`));
    // Two hosts at once: their steps' start and end lines show live, each host's lines then in its own group.
    assert.ok(at(h1, '▸ Start the new version') < at(h2, '✓ Health check'), reporter.text());
    assert.ok(at(h2, '▸ Start the new version') < at(h1, '✓ Health check'), reporter.text());
    assert.ok(Math.max(at(h1, '✓ Health check'), at(h2, '✓ Health check')) < at(h3, '▸ Start the new version'), reporter.text());
    assert.deepEqual(reporter.groups.slice(-3), [`${h1.label}: switch`, `${h2.label}: switch`, `${h3.label}: switch`]);
  });

  it("the second host's health failing: the rollout stops, the first goes back, the third is never changed", async () => {
    const running = await admin.run(['docker', 'inspect', '--format', '{{.Image}}', `${h3.project}_web_1`]);
    const [outcome, reporter] = await run(fleet.hosts, { ref: commits.v3 });
    assert.equal(outcome.status, 'rolled_back', reporter.text());
    assert.equal(outcome.failedStep, 'health');
    assert.match(outcome.error ?? '', new RegExp(`^${pattern(h2.label)}: `));
    assert.equal(outcome.deployedRef, commits.v2);
    assert.deepEqual(rows(outcome), [
      [h1.label, 'rolled_back', short(commits.v2), '-'],
      [h2.label, 'rolled_back', short(commits.v2), 'health'],
      [h3.label, 'cancelled', short(commits.v2), '-'],
    ]);
    assert.deepEqual(await pages(), ['200 version 2', '200 version 2', '200 version 2']);
    // The first host's v3 went live, and was rolled back: no later rollback takes it for a good release.
    const first = (await fleet.releases(h1)).at(-1);
    assert.deepEqual([first?.state, first?.commit], ['rolled_back', commits.v3]);
    assert.match(first?.error ?? '', new RegExp(`^Rolled back: ${pattern(h2.label)} failed in the health step`));
    assert.equal((await fleet.releases(h2)).at(-1)?.state, 'rolled_back');
    // The third: recorded cancelled, its checkout and image name as before the run.
    const third = (await fleet.releases(h3)).at(-1);
    assert.deepEqual([third?.state, third?.commit], ['cancelled', commits.v3]);
    assert.match(third?.error ?? '', new RegExp(`^Not started: ${pattern(h2.label)} failed in the health step`));
    assert.equal(await head(h3), commits.v2);
    const tagged = await admin.run(['docker', 'image', 'inspect', '--format', '{{.Id}}', `${h3.project}_web`]);
    assert.equal(tagged.stdout.trim(), running.stdout.trim(), 'the image name points at the image that runs');
  });

  it("GitHub's cancel while the second host's health is checked: it and the first go back, the third is never changed", async (t) => {
    const vc = await fleet.repo.commit({ 'docker-compose.yml': COMPOSE_WAITING_FOR_GREETING, 'www/index.html': 'version C\n' }, 'vC');
    const running = await startAction({ with: inputs(fleet.hosts), event: pushEvent(vc) });
    await running.waitForOutput(new RegExp(`${pattern(`[${h2.label}]`)} waiting: `));
    // A generous grace before SIGTERM: this checks what is done, not how fast on a loaded machine.
    const run = await running.cancel({ sigintGraceMs: 30_000 });
    t.diagnostic(`signals sent: ${run.signalsSent.join(', ')}; the step ran ${run.durationMs} ms`);
    assert.equal(run.code, 1, run.output);
    assert.equal(run.outputs.status, 'cancelled');
    assert.equal(run.outputs['deployed-ref'], commits.v2);
    assert.deepEqual(
      (JSON.parse(run.outputs.hosts ?? '') as Array<Record<string, unknown>>).map(({ status, commit, failedStep }) => [
        status,
        commit,
        failedStep,
      ]),
      [
        ['rolled_back', commits.v2, null],
        ['cancelled', commits.v2, 'health'],
        ['cancelled', commits.v2, null],
      ],
    );
    assert.deepEqual(await pages(), ['200 version 2', '200 version 2', '200 version 2']);
    assert.deepEqual(await Promise.all(fleet.hosts.map(async (host) => (await fleet.releases(host)).at(-1)?.state)), [
      'rolled_back',
      'cancelled',
      'cancelled',
    ]);
    for (const host of fleet.hosts) await lockFree(host);
  });

  it("GitHub's cancel while every host builds: every host's build stops, nothing changed anywhere", async (t) => {
    const marker = `berth-fleet-slow-build-${process.pid}`;
    const slow = await fleet.repo.commit(
      {
        'www/index.html': 'slow\n',
        Dockerfile: `FROM berth-example/busybox:latest\nCOPY www /www\nRUN sleep 60; echo ${marker}\nCMD ["sh", "-c", "exec httpd -f -v -p 127.0.0.1:\${PORT} -h /www"]\n`,
      },
      'slow build',
    );
    const running = await startAction({ with: inputs(fleet.hosts), event: pushEvent(slow) });
    await waitFor('every host to build', () => processes(marker).length >= fleet.hosts.length, 60_000);
    const run = await running.cancel({ sigintGraceMs: 30_000 });
    t.diagnostic(`signals sent: ${run.signalsSent.join(', ')}; the step ran ${run.durationMs} ms`);
    assert.equal(run.code, 1, run.output);
    assert.equal(run.outputs.status, 'cancelled');
    assert.deepEqual(
      (JSON.parse(run.outputs.hosts ?? '') as Array<Record<string, unknown>>).map(({ status, failedStep }) => [status, failedStep]),
      fleet.hosts.map(() => ['cancelled', 'build']),
    );
    await waitFor('the builds to end', () => processes(marker).length === 0, 15_000);
    for (const host of fleet.hosts) {
      assert.equal((await fleet.releases(host)).at(-1)?.state, 'cancelled');
      assert.equal(await head(host), commits.v2, run.output);
      await lockFree(host);
    }
    assert.deepEqual(await pages(), ['200 version 2', '200 version 2', '200 version 2']);
  });

  it("GitHub's cancel during lint: the run is cancelled and every host says so, nothing touched", async () => {
    const releases = await Promise.all(fleet.hosts.map((host) => fleet.releases(host)));
    const running = await startAction({
      with: inputs(fleet.hosts, { 'lint-command': 'echo linting; sleep 30' }),
      event: pushEvent(commits.v3),
    });
    await running.waitForOutput(/linting/);
    const run = await running.cancel({ sigintGraceMs: 10_000 });
    assert.equal(run.code, 1, run.output);
    assert.equal(run.outputs.status, 'cancelled');
    assert.deepEqual(
      (JSON.parse(run.outputs.hosts ?? '') as Array<{ status: string }>).map((row) => row.status),
      fleet.hosts.map(() => 'cancelled'),
    );
    assert.match(run.annotations.find((a) => a.level === 'error')?.properties.title ?? '', /cancelled/, run.log);
    assert.doesNotMatch(run.log, /lint command failed/, 'the cancel, not the lint, stopped the run');
    for (const [index, host] of fleet.hosts.entries()) assert.equal((await fleet.releases(host)).length, releases[index]?.length);
  });

  it('a host that cannot be reached: the run fails before any host is changed', async () => {
    const releases = await fleet.releases(h1);
    const unreachable = `127.0.0.1:${await freePort()} path=/nowhere`;
    const settingsHost = `${h1.line}\n${unreachable}`;
    const [outcome, reporter] = await run([], { host: settingsHost, ref: commits.v3 });
    assert.equal(outcome.status, 'failed', reporter.text());
    assert.equal(outcome.failedStep, 'connect');
    assert.deepEqual(
      outcome.hosts.map((row) => [row.status, row.failedStep, row.release]),
      [
        ['cancelled', undefined, undefined],
        ['failed', 'connect', undefined],
      ],
    );
    assert.deepEqual(await fleet.releases(h1), releases, 'nothing recorded');
    assert.equal(await head(h1), commits.v2);
    assert.equal(await fleet.page(h1), '200 version 2');
  });

  it('a host whose lock is held: the run fails there, and the hosts locked before it are let go, nothing changed', async () => {
    const unlock = await acquireLock(admin, `${h3.path}/.git/berth/lock`, { timeoutMs: 0, owner: 'another run' });
    try {
      const [outcome, reporter] = await run(fleet.hosts, { ref: commits.v3, 'lock-timeout': '0' });
      assert.equal(outcome.status, 'failed', reporter.text());
      assert.equal(outcome.failedStep, 'lock');
      assert.deepEqual(
        outcome.hosts.map((row) => [row.status, row.failedStep]),
        [
          ['cancelled', undefined],
          ['cancelled', undefined],
          ['failed', 'lock'],
        ],
      );
      for (const host of [h1, h2]) {
        assert.equal((await fleet.releases(host)).at(-1)?.state, 'cancelled');
        await lockFree(host);
      }
    } finally {
      await unlock();
    }
    assert.deepEqual(await pages(), ['200 version 2', '200 version 2', '200 version 2']);
  });

  it('two host lines naming one checkout (two sshds of one machine): refused before any lock, not a wait on itself', async () => {
    const releases = await fleet.releases(h1);
    const twice = `${h1.line}\n${h1.line.replace(h1.label, h2.label)}`;
    for (const command of ['deploy', 'restart'] as const) {
      const [outcome, reporter] = await run([], { host: twice, ref: commits.v3, command });
      assert.equal(outcome.status, 'failed', reporter.text());
      assert.equal(outcome.failedStep, 'inputs');
      assert.match(
        outcome.error ?? '',
        new RegExp(`^${pattern(h2.label)}: Invalid input 'host': ${pattern(h2.label)} and ${pattern(h1.label)} are one checkout`),
      );
      assert.deepEqual(
        outcome.hosts.map((row) => [row.status, row.failedStep]),
        [
          ['cancelled', undefined],
          ['failed', 'inputs'],
        ],
      );
    }
    assert.deepEqual(await fleet.releases(h1), releases, 'nothing recorded');
    await lockFree(h1);
  });

  it('a host failing while prepared: nothing switched anywhere, the others put back as they were', async () => {
    await runChecked(admin, ['git', '-C', h2.path, 'remote', 'set-url', 'origin', '/nonexistent']);
    try {
      const [outcome, reporter] = await run(fleet.hosts, { ref: commits.v3 });
      assert.equal(outcome.status, 'failed', reporter.text());
      assert.equal(outcome.failedStep, 'fetch');
      assert.deepEqual(
        outcome.hosts.map((row) => [row.status, row.failedStep, row.commit?.slice(0, 12)]),
        [
          ['cancelled', undefined, short(commits.v2)],
          ['failed', 'fetch', short(commits.v2)],
          ['cancelled', undefined, short(commits.v2)],
        ],
      );
      // The others had built v3: their checkouts are back, and no step started anything.
      for (const host of [h1, h3]) {
        assert.equal(await head(host), commits.v2);
        assert.deepEqual(
          (await fleet.releases(host)).at(-1)?.steps.map((step) => step.name),
          ['connect', 'lock', 'fetch', 'pull', 'build'],
        );
      }
      assert.ok(!reporter.lines.some((line) => line.includes('Start the new version')), reporter.text());
    } finally {
      await runChecked(admin, ['git', '-C', h2.path, 'remote', 'set-url', 'origin', `${fleet.repo.root}/origin.git`]);
    }
    assert.deepEqual(await pages(), ['200 version 2', '200 version 2', '200 version 2']);
  });

  it('bad host lines and parallel through the bundle: one error naming each, before anything connects', async () => {
    const releases = (await fleet.releases(h1)).length;
    const action = await runAction({
      with: inputs([], {
        host: `${h1.line}\n${h1.line}\n\n127.0.0.1:1 pth=/srv\n127.0.0.1:2 health-url=http://u:line-pw-9@localhost/h`,
        parallel: '0',
      }),
      event: pushEvent(commits.v3),
    });
    assert.equal(action.code, 1, action.output);
    const [error, ...more] = action.annotations.filter((annotation) => annotation.level === 'error');
    assert.equal(more.length, 0, action.log);
    for (const problem of [
      `Invalid input 'host': ${h1.label} is listed twice (lines 1 and 2).`,
      "Invalid input 'host': line 3 is empty.",
      `Invalid input 'host': line 4 sets "pth", which a host line cannot set.`,
      "Invalid input 'parallel': 0 is out of range.",
    ]) {
      assert.ok(error?.message.includes(problem), `${problem}\n${error?.message}`);
    }
    assert.doesNotMatch(action.log, /Connect to/);
    assert.ok(action.masks.includes('line-pw-9'), "a password in a host line's health-url is masked as the input's is");
    assert.equal((await fleet.releases(h1)).length, releases);
  });

  it('the CLI takes --host once per host: status from each', () => {
    const knownHosts = join(testbed().dir, 'fleet_known_hosts');
    writeFileSync(knownHosts, fleet.knownHosts);
    const result = spawnSync(
      process.execPath,
      [
        join(process.cwd(), 'dist/cli/index.js'),
        'status',
        ...fleet.hosts.slice(0, 2).flatMap((host) => ['--host', host.line]),
        '--username',
        testbed().user,
        '--private-key-file',
        join(testbed().dir, 'id_ed25519'),
        '--known-hosts-file',
        knownHosts,
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
    assert.match(result.stdout, new RegExp(`^status: succeeded\nrunning: ${commits.v2}\n`));
    for (const host of [h1, h2])
      assert.match(result.stdout, new RegExp(`  ${pattern(host.label)}: succeeded, running ${short(commits.v2)}`));
    assert.match(result.stderr, new RegExp(`\\[${pattern(h2.label)}\\] Running: ${commits.v2}`));
    // An unset variable (`--host "$WEB3"`) does not shrink the list silently.
    const empty = spawnSync(process.execPath, [join(process.cwd(), 'dist/cli/index.js'), 'status', '--host', h1.line, '--host', ''], {
      encoding: 'utf8',
    });
    assert.equal(empty.status, 2, empty.stderr);
    assert.match(empty.stderr, /Invalid input 'host': --host number 2 of 2 is empty\./);
  });

  it('status and logs from every host, each line prefixed with its host', async () => {
    const [status, statusLog] = await run(fleet.hosts, { command: 'status' });
    assert.equal(status.status, 'succeeded', statusLog.text());
    assert.deepEqual(
      status.hosts.map((row) => [row.status, row.commit]),
      fleet.hosts.map(() => ['succeeded', commits.v2]),
    );
    for (const host of fleet.hosts) {
      assert.ok(
        statusLog.lines.some((line) => line.startsWith(`[${host.label}] Running: ${commits.v2}`)),
        statusLog.text(),
      );
    }
    const [logs, logsLog] = await run(fleet.hosts, { command: 'logs', 'log-lines': '2' });
    assert.equal(logs.status, 'succeeded', logsLog.text());
    assert.deepEqual(
      logsLog.groups.slice(-3),
      fleet.hosts.map((host) => `${host.label}: logs`),
    );
    for (const host of fleet.hosts) assert.match(logsLog.text(), new RegExp(`${pattern(`[${host.label}]`)} .*response:200`));
  });

  it('status with one host down and one unreachable: it fails naming both, and shows the others', async () => {
    await runChecked(admin, ['docker', 'stop', `${h2.project}_web_1`]);
    try {
      const unreachable = `127.0.0.1:${await freePort()}`;
      const [outcome, reporter] = await run([], { host: `${fleet.hostInput()}\n${unreachable} path=/nowhere`, command: 'status' });
      assert.equal(outcome.status, 'failed', reporter.text());
      assert.deepEqual(
        outcome.hosts.map((row) => [row.status, row.failedStep]),
        [
          ['succeeded', undefined],
          ['failed', 'health'],
          ['succeeded', undefined],
          ['failed', 'connect'],
        ],
      );
      assert.match(outcome.error ?? '', new RegExp(`^${pattern(h2.label)}: [^]*\n${pattern(unreachable)}: `));
    } finally {
      await runChecked(admin, ['docker', 'start', `${h2.project}_web_1`]);
    }
    await waitFor('the second host to serve again', async () => (await fleet.page(h2).catch(() => '')) === '200 version 2', 30_000);
  });

  it('a rollback where one host has nothing to roll back to: it is named, and no host rolls back', async () => {
    const fresh = `${fleet.repo.root}/fresh`; // a host just added: checked out, never deployed
    await runChecked(admin, ['git', 'clone', '--quiet', `${fleet.repo.root}/origin.git`, fresh]);
    const releases = await fleet.releases(h1);
    const [outcome, reporter] = await run([], { host: `${h1.line}\n${h3.label} path=${fresh}`, command: 'rollback' });
    assert.equal(outcome.status, 'failed', reporter.text());
    assert.equal(outcome.failedStep, 'rollback');
    assert.match(outcome.error ?? '', new RegExp(`^${pattern(h3.label)}: Nothing to roll back to`));
    assert.deepEqual(
      outcome.hosts.map((row) => [row.status, row.failedStep]),
      [
        ['cancelled', undefined],
        ['failed', 'rollback'],
      ],
    );
    assert.deepEqual(await fleet.releases(h1), releases, 'nothing recorded');
    assert.equal(await fleet.page(h1), '200 version 2');
  });

  it('a rollback on every host at once: each goes back to its previous good release', async () => {
    const [outcome, reporter] = await run(fleet.hosts, { command: 'rollback', parallel: '3' });
    assert.equal(outcome.status, 'succeeded', reporter.text());
    assert.deepEqual(outcome.rollback, { from: commits.v2, to: commits.v1, images: 'kept' });
    assert.deepEqual(await pages(), ['200 version 1', '200 version 1', '200 version 1']);
  });

  // Last: it leaves the first host on v3.
  it("a take-back that fails: the run fails, and the host's row and record say it was not rolled back", async () => {
    const running = await startAction({ with: inputs(fleet.hosts), event: pushEvent(commits.v3) });
    await running.waitForOutput(new RegExp(pattern(`[${h2.label}] ▸ Start the new version`)));
    // The first host has switched: its checkout now refuses to move, so going back to v1 fails.
    await runChecked(admin, ['touch', `${h1.path}/.git/index.lock`]);
    let action;
    try {
      action = await running.finished;
    } finally {
      await runChecked(admin, ['rm', '-f', `${h1.path}/.git/index.lock`]);
    }
    assert.equal(action.code, 1, action.output);
    assert.deepEqual([action.outputs.status, action.outputs['deployed-ref']], ['failed', '']);
    assert.deepEqual(
      (JSON.parse(action.outputs.hosts ?? '') as Array<Record<string, unknown>>).map(({ status, commit, failedStep }) => [
        status,
        commit,
        failedStep,
      ]),
      [
        ['failed', null, 'rollback'],
        ['rolled_back', commits.v1, 'health'],
        ['cancelled', commits.v1, null],
      ],
    );
    const first = (await fleet.releases(h1)).at(-1);
    assert.equal(first?.state, 'succeeded', 'v3 went live there and still runs');
    assert.match(
      first?.error ?? '',
      new RegExp(`^Not rolled back: ${pattern(h2.label)} failed in the health step\\. The rollback to ${short(commits.v1)} failed too: `),
    );
    assert.deepEqual(await pages(), ['200 version 3', '200 version 1', '200 version 1']);
  });
});
