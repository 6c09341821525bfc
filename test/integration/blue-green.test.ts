/**
 * strategy blue-green through the bundled action, as GitHub's runner runs it, on the real sshd and Docker
 * engine with berth's proxy (Caddy, built FROM scratch as berth-test/caddy:2.6): deploys and a rollback
 * under a 20 Hz probe through the proxy (no failed request, a 2 s request in flight across the switch
 * completes), a version that never gets healthy never receives traffic, status names the live colour,
 * and each bad input fails before anything changes.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { runChecked } from '../../core/exec/executor.js';
import type { InputName } from '../../core/settings/input-names.js';
import { connectSsh, type SshConnection } from '../../core/ssh/ssh-connection.js';
import { type ProbeCounts, startProbe } from '../../bench/probe.js';
import { CADDY_IMAGE } from '../bed/caddy-image.js';
import { freePort } from '../bed/system.js';
import { testbed } from '../bed/testbed.js';
import { type ActionRun, runAction, startAction } from '../helpers/action-runner.js';
import { type AppRepo, createAppRepo, removeComposeApp } from '../helpers/app-repo.js';
import { bedInputs } from '../helpers/engine.js';
import { removeProxyServer } from '../helpers/proxy.js';
import { type FakeGithub, startFakeGithub } from '../helpers/fake-github.js';
import { pushEvent, workflowDispatchEvent } from '../helpers/github-events.js';
import { htmlText } from '../helpers/runner-log.js';
import { bedSettings } from '../helpers/ssh.js';

/** The example app, its web service listening on BERTH_PORT (each colour its own), with a 2 s CGI endpoint. */
const COMPOSE = `version: '2.4'
services:
  web:
    build: .
    network_mode: host
    init: true
    environment:
      PORT: '\${BERTH_PORT:-18080}'
    volumes:
      - data:/data
    restart: unless-stopped
volumes:
  data: {}
`;
const SLOW_CGI = '#!/bin/sh\nsleep 2\nprintf "Content-Type: text/plain\\r\\n\\r\\nslow-done\\n"\n';

/** The job summary's heading, as the job page shows it. */
const heading = (run: ActionRun): string => htmlText(/<h2>(.*?)<\/h2>/.exec(run.summary)?.[1] ?? '');

function errorOf(run: ActionRun): { title: string | undefined; message: string } | undefined {
  const error = run.annotations.find((a) => a.level === 'error');
  return error && { title: error.properties.title, message: error.message };
}

describe('strategy blue-green through the bundled action', () => {
  let admin: SshConnection;
  let app: AppRepo;
  let github: FakeGithub;
  let inputs: Partial<Record<InputName, string>>;
  let publicPort: number;
  let colourPorts: [number, number];
  const project = `bluegreen${process.pid}`;
  const commits: Record<'v1' | 'v2' | 'never' | 'v3', string> = { v1: '', v2: '', never: '', v3: '' };

  const deploy = (sha: string, extra: Partial<Record<InputName, string>> = {}) =>
    runAction({ with: { ...inputs, ...extra }, event: pushEvent(sha), github });
  const manual = (command: string, extra: Partial<Record<InputName, string>> = {}) =>
    runAction({ with: { ...inputs, command, ...extra }, event: workflowDispatchEvent({ command }), sha: commits.v2, github });
  const page = async (): Promise<string> => (await (await fetch(`http://127.0.0.1:${publicPort}/`)).text()).trim();
  const webContainers = async (): Promise<string[]> =>
    (
      await runChecked(admin, [
        'docker',
        'ps',
        '--all',
        '--quiet',
        '--filter',
        `label=com.docker.compose.project=${project}`,
        '--filter',
        'label=com.docker.compose.service=web',
      ])
    ).stdout
      .split('\n')
      .filter(Boolean);

  /** Runs `action` under a 20 Hz probe through the proxy; returns the run and the probe's counts. */
  async function probed(action: () => Promise<ActionRun>) {
    const probe = startProbe(`http://127.0.0.1:${publicPort}/`, 20, 10_000);
    const run = await action();
    return { run, probe: await probe.stop() };
  }

  before(async () => {
    admin = await connectSsh(bedSettings());
    [publicPort, colourPorts] = [await freePort(), [await freePort(), await freePort()]];
    app = await createAppRepo(admin, `${testbed().home}/berth-tests/bluegreen-${process.pid}`, await freePort());
    github = await startFakeGithub();
    inputs = bedInputs({
      path: app.path,
      'project-name': project,
      strategy: 'blue-green',
      'public-port': String(publicPort),
      'colour-ports': colourPorts.join(' '),
      'proxy-image': CADDY_IMAGE,
      'health-url': `http://localhost:${publicPort}/health`,
    });
    commits.v1 = await app.commit({ 'docker-compose.yml': COMPOSE, 'www/cgi-bin/slow': SLOW_CGI, 'www/index.html': 'v1\n' }, 'v1');
    await runChecked(admin, ['chmod', '+x', `${app.root}/work/www/cgi-bin/slow`]);
    commits.v1 = await app.commit({}, 'v1, slow endpoint executable');
    commits.v2 = await app.commit({ 'www/index.html': 'v2\n' }, 'v2');
    commits.never = await app.commit({ 'www/index.html': 'never\n', 'www/health': null }, 'never healthy: no /health');
    commits.v3 = await app.commit({ 'www/index.html': 'v3\n', 'www/health': 'ok\n' }, 'v3');
  });

  after(async () => {
    await removeComposeApp(admin, app.path, project);
    await admin.run(['docker', 'volume', 'rm', `${project}_data`]);
    await removeProxyServer(admin, project);
    await admin.close();
    await github.close();
  });

  it('a first deploy starts the proxy and the blue colour behind it', async () => {
    const run = await deploy(commits.v1);
    assert.equal(run.code, 0, run.log);
    assert.equal(run.outputs.status, 'succeeded');
    assert.equal(heading(run), '✅ berth deploy: succeeded');
    assert.equal(await page(), 'v1');
    // berth started the proxy, unless another blue-green app on this machine had already.
    const proxy = await runChecked(admin, [
      'docker',
      'inspect',
      '--format',
      '{{.State.Status}} {{.HostConfig.RestartPolicy.Name}}',
      'berth-proxy',
    ]);
    assert.equal(proxy.stdout.trim(), 'running unless-stopped');
    assert.match(run.log, /sends requests to blue/);
    assert.equal((await webContainers()).length, 1);
  });

  it('a deploy switches to green with no failed request, and a request in flight across the switch completes', async () => {
    let slow: Promise<string> | undefined;
    const { run, probe } = await probed(async () => {
      const running = await startAction({ with: inputs, event: pushEvent(commits.v2), github });
      // Sent to blue while green is checked: still in flight when the proxy switches and blue is retired.
      await running.waitForOutput(/Health check of green/);
      slow = fetch(`http://127.0.0.1:${publicPort}/cgi-bin/slow`).then(async (r) => `${r.status} ${(await r.text()).trim()}`);
      return running.finished;
    });
    assert.equal(run.code, 0, run.log);
    assert.equal(run.outputs.status, 'succeeded');
    assert.equal(probe.failed, 0, `${probe.failed} of ${probe.sent} probes failed: ${probe.failures.join('; ')}`);
    assert.ok(probe.sent > 20, `${probe.sent} probes`);
    assert.equal(await slow, '200 slow-done');
    assert.equal(await page(), 'v2');
    assert.match(run.log, /sends requests to green/);
    assert.equal((await webContainers()).length, 1, 'the old colour is stopped and removed');
    const steps = (JSON.parse(run.outputs.hosts ?? '[]') as Array<{ status: string }>)[0];
    assert.equal(steps?.status, 'succeeded');
  });

  it('a version that never gets healthy never receives traffic: failed at ready, no rollback needed, the old colour serves', async () => {
    const { run, probe } = await probed(() => deploy(commits.never, { 'health-timeout': '5' }));
    assert.equal(run.code, 1, run.log);
    assert.equal(run.outputs.status, 'failed');
    assert.equal(run.outputs['deployed-ref'], commits.v2);
    assert.equal(probe.failed, 0, `${probe.failed} of ${probe.sent} probes failed: ${probe.failures.join('; ')}`);
    assert.equal(errorOf(run)?.title, 'berth: ready failed');
    assert.equal(heading(run), '❌ berth deploy: failed');
    assert.match(run.summary, /Failed step: ready/);
    assert.match(errorOf(run)?.message ?? '', /Health check failed: web is unhealthy/);
    assert.doesNotMatch(run.log, /Roll back to/);
    assert.match(run.log, /kept serving throughout: nothing to roll back/);
    assert.equal(await page(), 'v2');
    assert.equal((await webContainers()).length, 1, 'the new colour was removed');
  });

  describe('cancelled as the runner cancels (SIGINT): the old colour serves, the new one is gone, the release cancelled', () => {
    /** Commits a version whose Compose file is `compose`, then the usual one again on top; returns the first. */
    const commitAs = async (label: string, compose = COMPOSE): Promise<string> => {
      const sha = await app.commit({ 'docker-compose.yml': compose, 'www/index.html': `${label}\n` }, label);
      await app.commit({ 'docker-compose.yml': COMPOSE }, `after ${label}`);
      return sha;
    };
    const cancelledOn = async (run: ActionRun, probe: ProbeCounts): Promise<void> => {
      assert.equal(run.code, 1, run.log);
      assert.equal(run.outputs.status, 'cancelled', run.log);
      assert.equal(run.outputs['deployed-ref'], commits.v2);
      assert.equal(probe.failed, 0, `${probe.failed} of ${probe.sent} probes failed: ${probe.failures.join('; ')}\n${run.log}`);
      assert.equal(await page(), 'v2');
      assert.equal((await webContainers()).length, 1, 'the new colour was removed');
    };

    it('in the build, while the colour is created: the live colour is not stopped (Compose is killed, not stopped)', async () => {
      // A changed deps.txt makes the build run its 3 s step; the commit after puts it back (cached again).
      const deps = (await runChecked(admin, ['cat', `${app.root}/work/deps.txt`])).stdout;
      const sha = await app.commit(
        { 'deps.txt': `${deps}cancelled in build\n`, 'www/index.html': 'cancelled in build\n' },
        'cancelled in build',
      );
      await app.commit({ 'deps.txt': deps, 'www/index.html': 'v2\n' }, 'after cancelled in build');
      const { run, probe } = await probed(async () => {
        const running = await startAction({ with: inputs, event: pushEvent(sha), github });
        await running.waitForOutput(/RUN sleep 3/);
        return running.cancel();
      });
      await cancelledOn(run, probe);
      assert.doesNotMatch(run.log, /Gracefully stopping|Stopping \S+_web_/);
    });

    it('in the build, the record naming another web service: the live colour is not removed with the created one', async () => {
      const file = `${app.path}/.git/berth/blue-green.json`;
      const state = JSON.parse((await runChecked(admin, ['cat', file])).stdout) as { web: { name: string } };
      state.web.name = 'ghost';
      await runChecked(admin, ['sh', '-c', 'cat > "$1"', 'sh', file], { stdin: JSON.stringify(state) });
      const sha = await commitAs('cancelled, the record stale');
      const { run, probe } = await probed(async () => {
        const running = await startAction({ with: inputs, event: pushEvent(sha), github });
        await running.waitForOutput(/No such service: ghost/);
        return running.cancel();
      });
      await cancelledOn(run, probe);
    });

    it('in ready (a slow start): the new colour is removed', async () => {
      const slowStart = COMPOSE.replace(
        'restart: unless-stopped',
        `restart: unless-stopped
    command: sh -c 'sleep 60; exec httpd -f -p 127.0.0.1:$$PORT -h /www'
    healthcheck:
      test: ['CMD-SHELL', 'wget -q -O /dev/null http://127.0.0.1:$$PORT/health']
      start_period: 60s`,
      );
      const sha = await commitAs('slow start', slowStart);
      const { run, probe } = await probed(async () => {
        const running = await startAction({ with: inputs, event: pushEvent(sha), github });
        await running.waitForOutput(/waiting: web is starting/);
        return running.cancel();
      });
      await cancelledOn(run, probe);
    });

    it('right after the switch, a request to the old colour in flight: switched back, the request completes', async () => {
      const sha = await commitAs('switched then cancelled');
      let slow: Promise<string> | undefined;
      const { run, probe } = await probed(async () => {
        const running = await startAction({ with: inputs, event: pushEvent(sha), github });
        await running.waitForOutput(/Health check of blue/);
        slow = fetch(`http://127.0.0.1:${publicPort}/cgi-bin/slow`).then(async (r) => `${r.status} ${(await r.text()).trim()}`);
        await running.waitForOutput(/sends requests to blue/);
        return running.cancel();
      });
      await cancelledOn(run, probe);
      assert.match(run.log, /Switched the proxy back to green/);
      assert.equal(await slow, '200 slow-done');
    });
  });

  it('status names the live colour', async () => {
    const run = await manual('status');
    assert.equal(run.code, 0, run.log);
    assert.match(run.log, /web: green is live \(127\.0\.0\.1:\d+\), behind the proxy on port \d+/);
  });

  it('logs shows the live colour, and restart swaps the web service to a fresh colour with no failed request', async () => {
    const logs = await manual('logs');
    assert.equal(logs.code, 0, logs.log);
    assert.equal(logs.outputs.status, 'succeeded');
    assert.equal(heading(logs), '✅ berth logs: succeeded');
    assert.match(logs.log, /web_\d+ +\|/);
    const [before] = await webContainers();
    const { run, probe } = await probed(() => manual('restart', { services: 'web' }));
    assert.equal(run.code, 0, run.log);
    assert.equal(run.outputs.status, 'succeeded');
    assert.equal(heading(run), '✅ berth restart: succeeded');
    assert.equal(probe.failed, 0, `${probe.failed} of ${probe.sent} probes failed: ${probe.failures.join('; ')}`);
    assert.match(run.log, /sends requests to blue/);
    const after = await webContainers();
    assert.equal(after.length, 1);
    assert.notEqual(after[0], before, 'a fresh container serves');
    assert.equal(await page(), 'v2');
    // Back to green, where the tests after this one expect the live colour.
    assert.equal((await manual('restart', { services: 'web' })).code, 0);
  });

  it('a rollback switches back to the kept images with no failed request', async () => {
    const { run, probe } = await probed(() => manual('rollback', { ref: commits.v1 }));
    assert.equal(run.code, 0, run.log);
    assert.equal(run.outputs.status, 'succeeded');
    assert.equal(run.outputs['deployed-ref'], commits.v1);
    assert.equal(probe.failed, 0, `${probe.failed} of ${probe.sent} probes failed: ${probe.failures.join('; ')}`);
    assert.equal(await page(), 'v1');
    assert.match(run.log, /sends requests to blue/);
    assert.equal((await webContainers()).length, 1);
  });

  it('deploys again after the rollback, with no failed request', async () => {
    const { run, probe } = await probed(() => deploy(commits.v3));
    assert.equal(run.code, 0, run.log);
    assert.equal(probe.failed, 0, `${probe.failed} of ${probe.sent} probes failed: ${probe.failures.join('; ')}`);
    assert.equal(await page(), 'v3');
  });

  it('a deploy whose Compose file changed the project since the last switch makes its colour from the new config', async () => {
    // berth creates the next colour from what it recorded at the last switch while it reads the new config;
    // a worker added (built from the same Dockerfile, so nothing to pull; its healthcheck is the web's, so off)
    // makes it create the colour again.
    const worker = '  worker:\n    build: .\n    network_mode: host\n    command: [sleep, "3600"]\n    healthcheck:\n      disable: true\n';
    const withWorker = COMPOSE.replace('volumes:\n  data', `${worker}volumes:\n  data`);
    const removeWorker = () =>
      admin.run([
        'sh',
        '-c',
        'docker rm -f $(docker ps -aq --filter "label=com.docker.compose.service=worker" --filter "label=com.docker.compose.project=$1")',
        'rm-worker',
        project,
      ]);
    try {
      const sha = await app.commit({ 'docker-compose.yml': withWorker, 'www/index.html': 'v3w\n' }, 'v3 with a worker');
      const { run, probe } = await probed(() => deploy(sha));
      assert.equal(run.code, 0, run.log);
      assert.equal(probe.failed, 0, `${probe.failed} of ${probe.sent} probes failed: ${probe.failures.join('; ')}`);
      assert.match(run.log, /is not what berth recorded at the last switch: its new colour is made again from it/);
      assert.equal(await page(), 'v3w');
      assert.equal((await webContainers()).length, 1);
    } finally {
      // The worker goes (blue-green leaves a removed service running: see the README's limits), then the project as it was.
      await removeWorker();
      const back = await app.commit({ 'docker-compose.yml': COMPOSE, 'www/index.html': 'v3\n' }, 'v3 without the worker');
      const again = await probed(() => deploy(back));
      assert.equal(again.run.code, 0, again.run.log);
      assert.equal(again.probe.failed, 0, again.probe.failures.join('; '));
      assert.equal((await webContainers()).length, 1);
    }
  });

  describe('bad inputs: a clear error naming the input, before anything changes', () => {
    let next = '';
    before(async () => {
      next = await app.commit({ 'www/index.html': 'v4\n' }, 'v4');
    });
    /** Failed naming the input; `parsed`: found on the server (status output, titled annotation), else before connecting. */
    const unchanged = async (run: ActionRun, input: string | RegExp, parsed = true): Promise<void> => {
      assert.equal(run.code, 1, run.log);
      assert.equal(run.outputs.status, parsed ? 'failed' : undefined);
      const error = errorOf(run);
      assert.equal(error?.title, parsed ? 'berth: invalid input' : undefined, run.log);
      assert.match(error?.message ?? '', typeof input === 'string' ? new RegExp(`input '${input}'`) : input);
      assert.equal(await page(), 'v3');
      assert.equal((await webContainers()).length, 1);
    };

    it('strategy purple', async () => {
      await unchanged(await deploy(next, { strategy: 'purple' }), /Invalid input 'strategy': "purple" is not a deploy strategy/, false);
    });

    it('public-port taken by another process', async () => {
      const taken = await freePort();
      const server: Server = createServer();
      await new Promise<void>((resolve) => server.listen(taken, '127.0.0.1', resolve));
      try {
        const run = await deploy(next, { 'public-port': String(taken), 'health-url': `http://localhost:${taken}/health` });
        await unchanged(run, /Invalid input 'public-port': port \d+ on .* is taken: another process listens there/);
      } finally {
        server.close();
      }
    });

    it('web-service not in the Compose file', async () => {
      await unchanged(await deploy(next, { 'web-service': 'nope' }), /Invalid input 'web-service': "nope" is not a service/);
    });

    it('no health URL and no healthcheck', async () => {
      const sha = await app.commit(
        {
          'docker-compose.yml': COMPOSE.replace(
            'restart: unless-stopped',
            'restart: unless-stopped\n    healthcheck:\n      disable: true',
          ),
        },
        'no healthcheck',
      );
      await unchanged(await deploy(sha, { 'health-url': '' }), /has no healthcheck and health-url is empty/);
    });
  });

  describe('migrate-command: once, in the new image, before the switch', () => {
    it('a migration writes into the volume from the new image, then the new colour takes traffic with no failed request', async () => {
      const sha = await app.commit({ 'www/index.html': 'v5\n' }, 'v5');
      const { run, probe } = await probed(() => deploy(sha, { 'migrate-command': 'cat /www/index.html > /data/marker' }));
      assert.equal(run.code, 0, run.log);
      assert.equal(probe.failed, 0, `${probe.failed} of ${probe.sent} probes failed: ${probe.failures.join('; ')}`);
      const steps = run.groups.map((g) => g.title);
      const migrate = steps.findIndex((t) => /Run the migration in web's new image/.test(t));
      const switched = steps.findIndex((t) => /Switch the proxy/.test(t));
      assert.ok(migrate >= 0 && migrate < switched, steps.join(' | '));
      const [live = ''] = await webContainers();
      assert.equal((await runChecked(admin, ['docker', 'exec', live, 'cat', '/data/marker'])).stdout.trim(), 'v5');
      assert.equal(await page(), 'v5');
    });

    it('a failed migration fails at migrate: nothing switched, the old colour served untouched', async () => {
      const sha = await app.commit({ 'www/index.html': 'v6\n' }, 'v6');
      const [before] = await webContainers();
      const { run, probe } = await probed(() => deploy(sha, { 'migrate-command': 'echo boom >&2; exit 3' }));
      assert.equal(run.code, 1, run.log);
      assert.equal(run.outputs.status, 'failed');
      assert.equal(errorOf(run)?.title, 'berth: migrate failed');
      assert.equal(probe.failed, 0, `${probe.failed} of ${probe.sent} probes failed: ${probe.failures.join('; ')}`);
      assert.doesNotMatch(run.log, /Switch the proxy/);
      assert.equal(await page(), 'v5');
      assert.deepEqual(await webContainers(), [before]);
    });
  });
});
