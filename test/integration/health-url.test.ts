/**
 * Health URLs that answer the way real servers sometimes do, through the bundled action against the
 * real sshd and Docker engine: a body that never ends (an event stream, a long poll), https (with a
 * certificate the runner trusts, and to a port that speaks plain HTTP), and headers that never finish.
 * Each run ends on its own — none waits for the job's `timeout`, none crashes without its outputs.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runChecked } from '../../core/exec/executor.js';
import { probeHttp } from '../../core/health/http-probe.js';
import { acquireLock } from '../../core/release/deploy-lock.js';
import type { InputName } from '../../core/settings/input-names.js';
import { connectSsh, type SshConnection } from '../../core/ssh/ssh-connection.js';
import { freePort } from '../bed/system.js';
import { testbed } from '../bed/testbed.js';
import { type ActionRun, runAction } from '../helpers/action-runner.js';
import { type AppRepo, createAppRepo } from '../helpers/app-repo.js';
import { bedInputs } from '../helpers/engine.js';
import { type FakeGithub, startFakeGithub } from '../helpers/fake-github.js';
import { type HttpTarget, startHttpTarget } from '../helpers/http-target.js';
import { pushEvent, workflowDispatchEvent } from '../helpers/github-events.js';
import { bedSettings } from '../helpers/ssh.js';

/** The harness ends a run that outlives this (code null): a run that hangs fails its test instead of the suite. */
const RUN_LIMIT_MS = 60_000;

/** A self-signed certificate for localhost and 127.0.0.1, made with openssl in `dir`. */
function selfSignedCertificate(dir: string): { key: string; cert: string; certFile: string } {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}

/** A TCP server that sends an HTTP status line one byte at a time, never finishing its headers. */
async function startTricklingHeaders(): Promise<{ url: string; server: TcpServer; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    const text = `HTTP/1.1 200 OK\r\nX-Slow: ${'y'.repeat(10_000)}`;
    let sent = 0;
    const timer = setInterval(() => sent < text.length && socket.write(text[sent++] ?? ''), 200);
    socket.on('close', () => {
      clearInterval(timer);
      sockets.delete(socket);
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`, server, sockets };
}

describe('a health URL that answers badly', () => {
  let admin: SshConnection;
  let app: AppRepo;
  let github: FakeGithub;
  let target: HttpTarget;
  let tls: HttpsServer;
  let tlsPort: number;
  let headers: Awaited<ReturnType<typeof startTricklingHeaders>>;
  let certDir: string;
  let certFile: string;
  let inputs: Partial<Record<InputName, string>>;
  let good: string;
  const project = `berth-health-url-${process.pid}`;

  const releases = async (): Promise<Array<{ state: string; commit?: string; error?: string }>> =>
    (JSON.parse((await runChecked(admin, ['cat', `${app.path}/.git/berth/releases.json`])).stdout) as { releases: [] }).releases;
  const deploy = async (name: string, healthUrl: string, env: Record<string, string> = {}): Promise<ActionRun> => {
    const commit = await app.commit({ 'www/index.html': `${name}\n` }, name);
    const with_ = { ...inputs, 'health-url': healthUrl, 'health-timeout': '3', timeout: '50' };
    return runAction({ with: with_, event: pushEvent(commit), github, env, timeoutMs: RUN_LIMIT_MS });
  };
  const lockFree = async (): Promise<void> => {
    const release = await acquireLock(admin, `${app.path}/.git/berth/lock`, { timeoutMs: 0, owner: 'health-url.test' });
    await release();
  };

  before(async () => {
    admin = await connectSsh(bedSettings());
    app = await createAppRepo(admin, `${testbed().home}/berth-tests/health-url-${process.pid}`, await freePort());
    github = await startFakeGithub();
    target = await startHttpTarget({
      // Headers at once, then a byte a second for as long as the client listens: an event stream.
      '/events': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const timer = setInterval(() => res.write('data: tick\n\n'), 1000);
        res.on('close', () => clearInterval(timer));
      },
    });
    certDir = mkdtempSync(join(tmpdir(), 'berth-health-url-'));
    const certificate = selfSignedCertificate(certDir);
    certFile = certificate.certFile;
    tls = createHttpsServer({ key: certificate.key, cert: certificate.cert }, (_req, res) => res.writeHead(204).end());
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    const address = tls.address();
    tlsPort = typeof address === 'object' && address ? address.port : 0;
    headers = await startTricklingHeaders();
    inputs = bedInputs({ path: app.path, 'project-name': project });
    good = await app.commit({ 'www/index.html': 'good\n' }, 'good');
    const run = await runAction({ with: { ...inputs, 'health-url': `http://localhost:${app.port}/` }, event: pushEvent(good), github });
    assert.equal(run.code, 0, run.output);
  });

  after(async () => {
    await admin.run(['docker-compose', '--project-name', project, 'down', '--rmi', 'local', '--remove-orphans'], { cwd: app.path });
    await admin.close();
    await github.close();
    await target.close();
    tls.closeAllConnections();
    tls.close();
    for (const socket of headers.sockets) socket.destroy();
    headers.server.close();
    rmSync(certDir, { recursive: true, force: true });
  });

  it('a 200 whose body never ends (an event stream) is healthy at its headers, for a deploy and for status', async () => {
    const run = await deploy('event stream', `${target.url}/events`);
    assert.equal(run.code, 0, run.output);
    assert.equal(run.outputs.status, 'succeeded');
    const status = await runAction({
      with: { ...inputs, command: 'status', 'health-url': `${target.url}/events` },
      event: workflowDispatchEvent({ command: 'status' }),
      github,
      timeoutMs: RUN_LIMIT_MS,
    });
    assert.equal(status.code, 0, status.output);
    assert.equal(status.outputs.status, 'succeeded');
  });

  it('https: healthy when the runner trusts the certificate (NODE_EXTRA_CA_CERTS)', async () => {
    const run = await deploy('https', `https://localhost:${tlsPort}/health`, { NODE_EXTRA_CA_CERTS: certFile });
    assert.equal(run.code, 0, run.output);
    assert.equal(run.outputs.status, 'succeeded');
  });

  it('https to a port that speaks plain HTTP: the deploy fails saying so, with every output, its release recorded, the lock free', async () => {
    const run = await deploy('https to http', `https://localhost:${app.port}/`);
    assert.equal(run.code, 1, run.output);
    assert.equal(run.outputs.status, 'failed', run.output);
    const error = run.annotations.find((a) => a.level === 'error');
    assert.equal(error?.properties.title, 'berth: health failed');
    assert.match(error?.message ?? '', /https:\/\/localhost:\d+\/: it does not answer TLS \(a plain http:\/\/ port\?\)/);
    const release = (await releases()).at(-1);
    assert.equal(release?.state, 'failed');
    await lockFree();
  });

  it('headers that never finish: each request is given up after 5 s and the deploy fails in health, rolled back to what ran', async () => {
    const run = await deploy('trickled headers', headers.url);
    assert.equal(run.code, 1, run.output);
    assert.equal(run.outputs.status, 'failed', run.output);
    const error = run.annotations.find((a) => a.level === 'error');
    assert.equal(error?.properties.title, 'berth: health failed');
    assert.match(error?.message ?? '', /http:\/\/127\.0\.0\.1:\d+\/: no answer within 5s/);
    await lockFree();
  });

  it('a probe gives up at its deadline and at the run’s signal, through the real SSH connection', async () => {
    const hung = await startHttpTarget({ '/hang': () => {} });
    try {
      const url = new URL(`${hung.url}/hang`);
      assert.deepEqual(await probeHttp(admin, url, 500), { ok: false, reason: `${url.href}: no answer within 0.5s` });
      const stop = new AbortController();
      setTimeout(() => stop.abort(), 100);
      assert.deepEqual(await probeHttp(admin, url, 60_000, stop.signal), { ok: false, reason: `${url.href}: the request was stopped` });
    } finally {
      await hung.close();
    }
  });
});
