/**
 * berth's proxy on one server: the `berth-proxy` container (Caddy), started when missing, and the app's
 * server in its config — created, switched from one colour to the other, and watched while the old drains.
 */
import { listeningPorts, portCommands, proxyCommands } from '../commands/proxy.js';
import { BerthError } from '../errors.js';
import { type Executor, runChecked } from '../exec/executor.js';
import type { Logger } from '../log.js';
import { realSleep, type Sleep } from '../retry.js';
import { CaddyAdmin } from './caddy-admin.js';
import { appServer, inFlight, liveUpstream, type RawConfig, withHttpApp } from './caddy-config.js';

/** How long a started proxy may take to answer on its admin API. */
const START_TIMEOUT_MS = 20_000;
/** How often a wait (start, drain) looks again. */
const POLL_MS = 100;
/** Writes of the base config that lost a race with another app's retry this often. */
const CONFLICT_RETRIES = 5;

export class BerthProxy {
  private readonly admin: CaddyAdmin;

  constructor(
    private readonly executor: Executor,
    private readonly log: Logger,
    private readonly signal?: AbortSignal,
    private readonly sleep: Sleep = realSleep,
  ) {
    this.admin = new CaddyAdmin(executor, signal);
  }

  private run(argv: readonly string[]) {
    return this.executor.run(argv, this.signal ? { signal: this.signal } : {});
  }

  /** The proxy's container state (`running`, `exited`, …) and image, or undefined when there is none. */
  async container(): Promise<{ state: string; image: string } | undefined> {
    const result = await this.run(proxyCommands.state());
    if (result.code !== 0) return undefined;
    const [state = '', image = ''] = result.stdout.trim().split(' ');
    return { state, image };
  }

  /** Starts the proxy container unless it runs, then waits until its admin API answers with a config that has an http app. */
  async ensureRunning(image: string): Promise<void> {
    const found = await this.container();
    if (found?.state !== 'running') {
      if (found) await runChecked(this.executor, proxyCommands.start(), this.options());
      else await this.create(image);
      this.log.info(`Started the proxy (berth-proxy, ${found?.image ?? image}) on ${this.executor.where}.`);
    } else if (found.image !== image) {
      this.log.info(`The proxy runs ${found.image} (proxy-image is ${image}: berth does not replace a running proxy).`);
    }
    await this.awaitAdmin();
    await this.ensureHttpApp();
  }

  /** `docker run`; another app's deploy may have created it a moment before. */
  private async create(image: string): Promise<void> {
    const result = await this.run(proxyCommands.run(image));
    if (result.code === 0) return;
    if ((await this.container())?.state === 'running') return;
    throw new BerthError(
      `Could not start the proxy container berth-proxy (${image}) on ${this.executor.where}: ${result.stderr.trim().split('\n').slice(-3).join(' ')}`,
      `Check that the image ${image} can be pulled there (proxy-image), or start it once by hand.`,
    );
  }

  private async awaitAdmin(): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    let last = '';
    while (Date.now() < deadline) {
      try {
        await this.admin.read('/config/');
        return;
      } catch (error) {
        last = (error as Error).message;
      }
      // Docker restarts a proxy that exits (`unless-stopped`): restarting means it failed to start.
      const state = (await this.container())?.state;
      if (state === 'exited' || state === 'restarting' || state === 'dead') break;
      await this.sleep(POLL_MS);
    }
    const logs = await this.run(proxyCommands.logs(5));
    const said = (logs.stdout + logs.stderr).trim();
    const cause = /address already in use/.exec(said)
      ? `a port it listens on is held by another process (its admin API 2019, or an app's public-port in its saved config)`
      : 'see its log below';
    throw new BerthError(
      `The proxy (berth-proxy) on ${this.executor.where} does not start: ${cause}. Last: ${last}\n${said}`,
      'Free the port, or remove a stale app from its config (its servers are in the volume berth-proxy-config); `docker logs berth-proxy` shows why. The proxy image must be Caddy 2.6 or newer.',
    );
  }

  /** Adds an empty http app to the config when it has none, never overwriting another app's concurrent change. */
  private async ensureHttpApp(): Promise<void> {
    for (let attempt = 0; attempt <= CONFLICT_RETRIES; attempt++) {
      const { value, etag } = await this.admin.read('/config/');
      const config = value as RawConfig;
      if (config?.apps?.http?.servers) return;
      const answer = await this.admin.write('/config/', withHttpApp(config), etag);
      if (answer.status === 200) return;
      if (answer.status !== 412) throw this.admin.failure('POST', '/config/', answer);
    }
    throw new BerthError(`The proxy's config on ${this.executor.where} kept changing while berth set it up.`, 'Run again.');
  }

  /** The config as it is now (null when the proxy has none). */
  async config(): Promise<RawConfig> {
    return (await this.admin.read('/config/')).value as RawConfig;
  }

  /** The address the app's server sends requests to now. */
  async live(name: string): Promise<string | undefined> {
    return liveUpstream(await this.config(), name);
  }

  /**
   * Points the app's server at `upstream` (creating it on `publicPort` the first time). Caddy loads the
   * change gracefully: the listener stays open, requests in flight finish on the old upstream, which
   * `draining` keeps in Caddy's count (see `drained`) until a route without it is written.
   */
  async route(name: string, publicPort: number, upstream: string, draining?: string): Promise<void> {
    await this.admin.checked('POST', `/config/apps/http/servers/${name}`, JSON.stringify(appServer(publicPort, upstream, draining)));
  }

  /** Waits until no request is in flight to `address`, routed as `draining` (or `timeoutMs` passed); returns how many still were. */
  async drained(address: string, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { value } = await this.admin.read('/reverse_proxy/upstreams');
      const left = inFlight(value, address);
      if (left === 0 || Date.now() >= deadline) return left;
      await this.sleep(POLL_MS);
    }
  }

  /** The TCP ports something listens on, on the server. */
  async listening(): Promise<Set<number>> {
    return listeningPorts((await runChecked(this.executor, portCommands.sockets(), this.options())).stdout);
  }

  private options() {
    return this.signal ? { signal: this.signal } : {};
  }
}
