/**
 * Stopping a deploy part-way, end to end against the real sshd and Docker engine, through the bundles as
 * the runner and a terminal run them: GitHub's cancel (SIGINT, then SIGTERM, then SIGKILL), Ctrl-C on the
 * CLI, the `timeout` input, and the SSH connection dropping.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runChecked } from '../../core/exec/executor.js';
import { acquireLock } from '../../core/release/deploy-lock.js';
import type { InputName } from '../../core/settings/input-names.js';
import { connectSsh, type SshConnection } from '../../core/ssh/ssh-connection.js';
import { freePort, waitFor } from '../bed/system.js';
import { testbed } from '../bed/testbed.js';
import { runAction, startAction } from '../helpers/action-runner.js';
import { type AppRepo, createAppRepo } from '../helpers/app-repo.js';
import { bedCliFlags, bedInputs } from '../helpers/engine.js';
import { type FakeGithub, startFakeGithub } from '../helpers/fake-github.js';
import { pushEvent, workflowDispatchEvent } from '../helpers/github-events.js';
import { bedSettings } from '../helpers/ssh.js';

/** The processes on the server (this machine) whose command line contains `text`. */
function processes(text: string): string[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  return ps.stdout.split('\n').filter((line) => line.includes(text) && !line.includes('ps -eo'));
}

describe('a deploy stopped part-way', () => {
  let admin: SshConnection;
  let app: AppRepo;
  let github: FakeGithub;
  let inputs: Partial<Record<InputName, string>>;
  let good: string;
  const project = `berth-cancel-${process.pid}`;
  /** In the slow build's command line, so `ps` finds exactly this test's build. */
  const marker = `berth-slow-build-${process.pid}`;

  const page = async (): Promise<string> => (await (await fetch(`http://127.0.0.1:${app.port}/`)).text()).trim();
  const releases = async (): Promise<
    Array<{ id: string; ref: string; state: string; commit?: string; failedStep?: string; error?: string }>
  > => {
    const text = (await runChecked(admin, ['cat', `${app.path}/.git/berth/releases.json`])).stdout;
    return (JSON.parse(text) as { releases: [] }).releases;
  };
  let readyFile = false;
  /**
   * Commits a whole version of the app: its page, whether it answers the health URL (`/ready`), and
   * whether its image build sleeps in a RUN step (seen in `ps` with the marker) until stopped.
   */
  const version = (message: string, { ready = true, slow = false }: { ready?: boolean; slow?: boolean } = {}): Promise<string> => {
    const slowDockerfile = `FROM berth-example/busybox:latest\nCOPY www /www\nRUN sleep 60; echo ${marker}-${message.replace(/\W/g, '')}\nCMD ["sh", "-c", "exec httpd -f -v -p 127.0.0.1:\${PORT} -h /www"]\n`;
    const files: Record<string, string | null> = {
      'www/index.html': `${message}\n`,
      Dockerfile: slow ? slowDockerfile : readFileSync('examples/hello/Dockerfile', 'utf8'),
    };
    if (ready) files['www/ready'] = 'ready\n';
    else if (readyFile) files['www/ready'] = null;
    readyFile = ready;
    return app.commit(files, message);
  };
  /** The remote build, Compose and berth's own commands of this app are all gone (polled: Docker ends a build container a moment after its client). */
  const remoteWorkGone = (): Promise<void> =>
    waitFor('the remote build and Compose to end', () => processes(marker).length === 0 && processes(project).length === 0, 15_000);
  const lockFree = async (): Promise<void> => {
    const release = await acquireLock(admin, `${app.path}/.git/berth/lock`, { timeoutMs: 0, owner: 'cancel.test' });
    await release();
  };

  before(async () => {
    admin = await connectSsh(bedSettings());
    app = await createAppRepo(admin, `${testbed().home}/berth-tests/cancel-${process.pid}`, await freePort());
    github = await startFakeGithub();
    inputs = bedInputs({ path: app.path, 'project-name': project, 'health-url': `http://localhost:${app.port}/ready` });
    good = await version('good');
    const run = await runAction({ with: inputs, event: pushEvent(good), github });
    assert.equal(run.code, 0, run.output);
    assert.equal(await page(), 'good');
  });

  after(async () => {
    await admin.run(['docker-compose', '--project-name', project, 'down', '--rmi', 'local', '--remove-orphans'], { cwd: app.path });
    await admin.close();
    await github.close();
  });

  it("GitHub's cancel mid-build: the remote build stops, the release is cancelled in `build`, the old version serves, the lock is free", async () => {
    const slow = await version('slow build', { slow: true });
    const running = await startAction({ with: inputs, event: pushEvent(slow), github });
    await running.waitForOutput(new RegExp(`RUN sleep 60; echo ${marker}`));
    await waitFor('the build step to run on the server', () => processes(marker).length > 0);
    const run = await running.cancel();
    assert.deepEqual(run.signalsSent, ['SIGINT'], `it exits before the runner's SIGTERM:\n${run.output}`);
    assert.equal(run.code, 1, run.output);
    assert.equal(run.outputs.status, 'cancelled');
    assert.equal(run.outputs['deployed-ref'], good);
    assert.match(run.summary, /berth deploy: cancelled/);
    assert.match(run.summary, /Cancelled in step: build/);
    const error = run.annotations.find((a) => a.level === 'error');
    assert.equal(error?.properties.title, 'berth: cancelled in build');
    assert.match(
      error?.message ?? '',
      /cancelled \(SIGINT\)\. It was in the build step; its remote work was stopped, and the old version .* still serves/,
    );
    await remoteWorkGone();
    const release = (await releases()).at(-1);
    assert.equal(release?.state, 'cancelled');
    assert.equal(release?.failedStep, 'build');
    assert.equal(release?.commit, slow);
    assert.equal(await page(), 'good');
    await lockFree();
  });

  it('SIGINT during the health check: rolled back to what ran', async () => {
    const neverReady = await version('never ready', { ready: false });
    const running = await startAction({ with: inputs, event: pushEvent(neverReady), github });
    await running.waitForOutput(/waiting: .*\/ready answered 404/);
    const run = await running.cancel();
    assert.deepEqual(run.signalsSent, ['SIGINT'], run.output);
    assert.equal(run.code, 1, run.output);
    assert.equal(run.outputs.status, 'cancelled');
    assert.equal(run.outputs['deployed-ref'], good);
    assert.match(run.summary, /Cancelled in step: health/);
    assert.match(run.summary, /rolled back to/);
    assert.ok(run.groups.some((g) => g.title.startsWith('Roll back to')));
    assert.equal(await page(), 'good');
    const release = (await releases()).at(-1);
    assert.equal(release?.state, 'cancelled');
    assert.equal(release?.failedStep, 'health');
    await remoteWorkGone();
    await lockFree();
  });

  it('`timeout: 5` with a slow build: failed naming the step and "timed out", the old version serving', async () => {
    const slow = await version('slow build, timed out', { slow: true });
    const run = await runAction({ with: { ...inputs, timeout: '5' }, event: pushEvent(slow), github });
    assert.equal(run.code, 1, run.output);
    assert.equal(run.outputs.status, 'rolled_back');
    assert.equal(run.outputs['deployed-ref'], good);
    const error = run.annotations.find((a) => a.level === 'error');
    assert.equal(error?.properties.title, 'berth: build failed, rolled back');
    assert.match(
      error?.message ?? '',
      /The run timed out: it did not finish within 5s \(input 'timeout'\)\. It was stopped in the build step; the rollback gets its own grace of 60s/,
    );
    assert.ok(run.durationMs < 40_000, `the run ended soon after its deadline (${run.durationMs} ms)`);
    await remoteWorkGone();
    const release = (await releases()).at(-1);
    assert.equal(release?.state, 'rolled_back');
    assert.equal(release?.failedStep, 'build');
    assert.match(release?.error ?? '', /timed out/);
    assert.equal(await page(), 'good');
  });

  it('Ctrl-C on the CLI does the same as the action', async () => {
    const slow = await version('slow build, from a terminal', { slow: true });
    const cli = spawn(
      process.execPath,
      [join(process.cwd(), 'dist/cli/index.js'), 'deploy', ...bedCliFlags(), '--path', app.path, '--project-name', project, '--ref', slow],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    cli.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    cli.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => cli.on('close', resolve));
    await waitFor('the slow build to run on the server', () => processes(marker).length > 0, 120_000);
    const interrupted = Date.now();
    cli.kill('SIGINT');
    const code = await exited;
    assert.equal(code, 130, output);
    assert.ok(Date.now() - interrupted < 7500, `exited within a few seconds (${Date.now() - interrupted} ms)`);
    assert.match(output, /Cancelling: stopping the remote work/);
    assert.match(output, /status: cancelled/);
    assert.match(output, /cancelled in step: build/);
    await remoteWorkGone();
    assert.equal((await releases()).at(-1)?.state, 'cancelled');
    assert.equal(await page(), 'good');
    await lockFree();
  });

  it('the runner killed outright (SIGKILL) mid-build: the remote build and Compose end with its connection; the next deploy goes at once and marks it interrupted', async () => {
    const slow = await version('slow build, runner killed', { slow: true });
    const running = await startAction({ with: inputs, event: pushEvent(slow), github });
    await running.waitForOutput(new RegExp(`RUN sleep 60; echo ${marker}`));
    await waitFor('the build step to run on the server', () => processes(marker).length > 0);
    process.kill(running.pid, 'SIGKILL');
    assert.equal((await running.finished).signal, 'SIGKILL');
    // Untied, Compose lived on as an orphan for the build's whole minute, then started what it built.
    await remoteWorkGone();
    const next = await runAction({ with: { ...inputs, 'lock-timeout': '0' }, event: pushEvent(good), github });
    assert.equal(next.code, 0, next.output);
    assert.match(next.log, /was left in progress by a run that is gone: marked failed/);
    const killed = (await releases()).find((r) => r.ref === slow);
    assert.equal(killed?.state, 'failed');
    assert.match(killed?.error ?? '', /^interrupted: /);
    assert.equal(await page(), 'good');
  });

  it('the SSH connection dropping mid-health-check: the run fails naming the step and the cause; the next deploy starts at once and marks it interrupted', async () => {
    const neverReady = await version('never ready, connection dropped', { ready: false });
    const running = await startAction({ with: inputs, event: pushEvent(neverReady), github });
    await running.waitForOutput(/waiting: .*\/ready answered 404/);
    // The run's own sshd process: the parent of its lock holder, which lives exactly as long as the connection.
    const [holder] = processes(`berth-lock ${app.path}/.git/berth/lock`);
    const sshd = Number(holder?.trim().split(/\s+/)[1]);
    assert.match(spawnSync('ps', ['-o', 'args=', '-p', String(sshd)], { encoding: 'utf8' }).stdout, /^sshd: /);
    process.kill(sshd, 'SIGKILL');
    const run = await running.finished;
    assert.equal(run.code, 1, run.output);
    assert.equal(run.outputs.status, 'failed');
    const error = run.annotations.find((a) => a.level === 'error');
    assert.equal(error?.properties.title, 'berth: health failed');
    assert.match(error?.message ?? '', /The connection to .* was lost[\s\S]*the next deploy takes the lock at once/);
    assert.ok(!run.groups.some((g) => g.title.startsWith('Roll back')), 'no rollback is tried over a dropped connection');
    const dead = (await releases()).at(-1);
    assert.equal(dead?.state, 'in_progress', 'the run could not say how it ended');

    const next = await runAction({ with: { ...inputs, 'lock-timeout': '0' }, event: pushEvent(good), github });
    assert.equal(next.code, 0, next.output);
    assert.match(next.log, /was left in progress by a run that is gone: marked failed/);
    const repaired = (await releases()).find((r) => r.id === dead?.id);
    assert.equal(repaired?.state, 'failed');
    assert.match(repaired?.error ?? '', /^interrupted: /);
    assert.equal(await page(), 'good');
  });

  it('queued deploys take the lock in the order they asked; a push deploy of an ancestor of what went live skips itself', async () => {
    const two = await version('two');
    const three = await version('three');
    const hold = await acquireLock(admin, `${app.path}/.git/berth/lock`, { timeoutMs: 0, owner: 'cancel.test holds the lock' });
    const queued = [];
    try {
      // Each asks once the one before is waiting: the push of three, then the late push of two, then two by hand.
      for (const [event, ref] of [
        [pushEvent(three), undefined],
        [pushEvent(two), undefined],
        [workflowDispatchEvent({ command: 'deploy', ref: two }), two],
      ] as const) {
        const running = await startAction({ with: ref ? { ...inputs, ref } : inputs, event, github });
        await running.waitForOutput(/Waiting for another run to finish: cancel\.test holds the lock/);
        queued.push(running);
      }
    } finally {
      await hold();
    }
    const [newest, late, manual] = await Promise.all(queued.map((running) => running.finished));
    assert.equal(newest?.outputs.status, 'succeeded', newest?.output);
    assert.equal(newest?.outputs['deployed-ref'], three);
    assert.equal(late?.code, 0, late?.output);
    assert.equal(late?.outputs.status, 'superseded');
    assert.equal(late?.outputs['deployed-ref'], three);
    assert.match(late?.summary ?? '', /berth deploy: superseded/);
    assert.match(late?.summary ?? '', /went live while this push deploy waited/);
    assert.deepEqual(late?.annotations, []);
    assert.equal(manual?.outputs.status, 'succeeded', manual?.output);
    assert.equal(manual?.outputs['deployed-ref'], two);
    assert.deepEqual(
      (await releases()).slice(-3).map((r) => [r.state, r.commit]),
      [
        ['succeeded', three],
        ['superseded', two],
        ['succeeded', two],
      ],
    );
    assert.equal(await page(), 'two');
  });
});
