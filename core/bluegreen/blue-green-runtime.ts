/**
 * The app as a Compose project whose web service runs in two colours behind berth's proxy. A deploy
 * builds, starts the new colour beside the live one (other services updated as `recreate` does),
 * proves it healthy at its own address (`ready`), switches the proxy to it (`switch`), proves it
 * through the proxy (`health`), lets the old colour drain and stops it. Until the switch the old
 * colour serves untouched; a failure before it only removes the new colour.
 */
import { containerCommands } from '../commands/proxy.js';
import { BerthError, InputError } from '../errors.js';
import type { Executor } from '../exec/executor.js';
import { type ContainerState, servicesSummary } from '../health/containers.js';
import { BerthProxy } from '../proxy/berth-proxy.js';
import { serverName } from '../proxy/caddy-config.js';
import { type Release, releaseImages } from '../release/release.js';
import { realSleep } from '../retry.js';
import type { BlueGreenSettings, Settings } from '../settings/settings.js';
import type { AppRuntime, Looked, Proven, Restored } from '../engine/app-runtime.js';
import { checkHealth, awaitHealthy, type HealthDeps } from '../engine/health-check.js';
import type { RemoteApp } from '../engine/remote-app.js';
import { StepError, type Steps } from '../engine/steps.js';
import { runMigration, webServiceConfig } from '../engine/migrate.js';
import { normalize } from '../engine/project-name.js';
import { type Colour, colourEnv, colourPort, colourUrl, upstreamOf } from './colours.js';
import { ColourStateFile } from './colour-state.js';
import { type CheckContext, checkPublicPort, checkWebService } from './blue-green-checks.js';
import {
  type ColourPlan,
  makesSameColour,
  planColours,
  recordOf,
  servingWith,
  type StartedColour,
  type WebService,
  webOfRecord,
} from './colour-plan.js';

/** How long the old colour may take to finish the requests it has, after the switch. */
export const DRAIN_TIMEOUT_MS = 30_000;
/** How long a switch back lets the new colour finish its requests: short, as a cancelled run has seconds left. */
const ABANDON_DRAIN_MS = 5_000;
/**
 * After a switch back, how long the new colour stays after its count reached 0: connections the proxy's
 * previous config still holds (keep-alive) may carry one more request to it. A rare path, so it can wait.
 */
const ABANDON_SETTLE_MS = 1_000;
/** Seconds `docker stop` gives the old colour after SIGTERM. */
const STOP_GRACE_SECONDS = 10;

/** What `abandon` did: the old colour never stopped serving, or served again after a switch back. */
export type Abandoned = 'untouched' | 'switched-back';

/** The project's services other than the web service. */
function othersThan(web: WebService): string[] {
  return web.projectServices.filter((name) => name !== web.name);
}

/** Throws the error a settled read ended with. */
async function rethrow(settled: Promise<Error | undefined>): Promise<void> {
  const error = await settled;
  if (error) throw error;
}

export class BlueGreenRuntime implements AppRuntime {
  private web: WebService | undefined;
  private readonly proxy: BerthProxy;
  /** This run's plan: what was live when it began, and the colour it started. */
  private plan: ColourPlan | undefined;
  /** The new colour's container as the build created it, not started yet (`start` starts it). */
  private created: Omit<StartedColour, 'upstream'> | undefined;
  private started: StartedColour | undefined;
  private switched = false;
  /** Whether the old colour began to stop after the switch: switching back to it would send requests nowhere. */
  private retiring = false;
  /** Whether a `restart` started the new colour (its failure is taken back here, not by a deploy's failure path). */
  private restarting = false;
  /** Whether this run built images (which took the names the live images had). */
  private built = false;
  /** The containers last proven healthy: their images are the ones kept. */
  private proven: ContainerState[] = [];
  /** Containers whose healthcheck passed at `ready`: the check through the proxy does not run it again. */
  private readyPassed = new Set<string>();
  /** Whether this run already saw the proxy running (the `pull` step starts it). */
  private proxyUp = false;
  /**
   * A deploy's old colour retires beside the release's bookkeeping (`keep`), once the new one is proven
   * through the proxy; a rollback's or restart's retires within `prove`.
   */
  private retireInKeep = false;
  private retirement: Promise<Error | undefined> | undefined;

  constructor(
    private readonly app: RemoteApp,
    private readonly executor: Executor,
    private readonly settings: Settings,
    private readonly strategy: BlueGreenSettings,
    private readonly health: HealthDeps,
  ) {
    this.proxy = new BerthProxy(executor, health.reporter.logger, health.signal);
  }

  /** This run's state, its commands under another session's signal (a stopped run's clean-up). */
  under(app: RemoteApp, health: HealthDeps): BlueGreenRuntime {
    const next = new BlueGreenRuntime(app, this.executor, this.settings, this.strategy, health);
    next.web = this.web;
    next.plan = this.plan;
    next.created = this.created;
    next.started = this.started;
    next.switched = this.switched;
    next.retiring = this.retiring;
    next.built = this.built;
    next.proven = this.proven;
    next.readyPassed = this.readyPassed;
    next.proxyUp = this.proxyUp;
    return next;
  }

  private get log() {
    return this.health.reporter.logger;
  }

  /** The Compose project's name, as Compose derives it when project-name is empty. */
  private get project(): string {
    const name = this.settings.app.projectName ?? this.settings.app.path.split('/').filter(Boolean).at(-1) ?? 'app';
    return normalize(name, 'v1') ?? '';
  }

  /** The Caddy server of this app: one per Compose project. */
  private get server(): string {
    return serverName(this.project);
  }

  private async webService(): Promise<WebService> {
    this.web ??= await webServiceConfig(this.app, this.settings);
    return this.web;
  }

  private async stateFile(): Promise<ColourStateFile> {
    return new ColourStateFile(this.executor, `${await this.app.stateDir()}/blue-green.json`, this.health.signal);
  }

  async verify(): Promise<void> {}

  /**
   * Before the lock: the public port is berth's or free. The web service is checked once the new
   * version is checked out (`checkNewVersion`): its Compose file is the one that counts.
   */
  async checkInputs(): Promise<void> {
    await checkPublicPort(this.checks());
  }

  /**
   * After the fetch, before anything is built or started: the new version's web service can run twice
   * and be judged, and its next colour's port is free. With `built`, its image's own healthcheck counts too.
   */
  private async checkNewVersion(built: boolean): Promise<void> {
    if (!built) this.web = undefined;
    await checkWebService(this.checks(), await this.webService(), built);
  }

  /** What the checks before anything changes read. */
  private checks(): CheckContext {
    return {
      app: this.app,
      proxy: this.proxy,
      settings: this.settings,
      strategy: this.strategy,
      project: this.project,
      server: this.server,
      plan: (web) => this.planNow(web),
    };
  }

  private async planNow(web: WebService): Promise<ColourPlan> {
    return (await this.lookNow(web)).plan;
  }

  /** The plan, and the project's containers it was made from. */
  private async lookNow(web: WebService): Promise<{ plan: ColourPlan; containers: ContainerState[] }> {
    const [state, live, containers] = await Promise.all([
      (await this.stateFile()).read(),
      this.proxy.container().then((c) => (c?.state === 'running' ? this.proxy.live(this.server) : undefined)),
      this.app.containers(),
    ]);
    return { plan: planColours(web, state, live, containers, this.strategy.colourPorts), containers };
  }

  /** stage, the migration (with `migrate-command`, in the new image, before the new colour starts), then start. */
  async ship(release: Release, steps: Steps): Promise<void> {
    await this.stage(release, steps);
    if (this.settings.migrateCommand) {
      const web = await this.webService();
      const next = this.plan?.next ?? (await this.planNow(web)).next;
      await runMigration(this.app, this.settings, steps, this.envOf(web, next), web.name);
    }
    await this.start(steps);
  }

  /**
   * Pulls the checked-out commit, then one Compose run builds it and creates the new colour's container
   * beside the live one, not started (other built services are built beside it): nothing runs until
   * `start`. The new commit's web service is checked meanwhile (one Compose render); a problem there
   * fails the run as invalid input, the created container removed. The colour is made from what the
   * last deploy recorded of the web service (its name, network, ports), and made again should the new
   * config say otherwise; with no record (a first blue-green deploy), only once the check has passed.
   */
  async stage(_release: Release, steps: Steps): Promise<void> {
    const { app } = this;
    // Learnt while Compose renders the config: the checks' look at the containers waits for it
    // instead of starting Compose once more.
    const learnt = app.learnProject();
    const checked = this.checkNewVersion(false).then(
      () => undefined,
      (error: unknown) => new StepError('inputs', error),
    );
    // The proxy starts here, so a proxy-image that cannot be pulled fails before the build.
    const [record] = await steps
      .run('pull', 'Pull images and start the proxy', () =>
        Promise.all([this.stateFile().then((file) => file.read()), app.pull(), this.ensureProxy()]),
      )
      .catch(async (error: unknown) => {
        throw (await checked) ?? error;
      });
    await learnt;
    this.built = true;
    const recorded = record?.web;
    if (recorded) {
      await steps.run('build', 'Build the new version and create its colour (not started), its web service checked meanwhile', () =>
        this.createBesideCheck(webOfRecord(recorded), checked),
      );
    } else {
      await steps.run('inputs', "Check the new version's web service", async () => {
        const problem = await checked;
        if (problem) throw problem;
      });
      await steps.run('build', 'Build the new version and create its colour beside the live one (not started)', () =>
        this.createColour(this.requireWeb()),
      );
    }
    if (!this.settings.health.url) await steps.run('inputs', "Check the new version's healthcheck", () => this.checkNewVersion(true));
  }

  /**
   * Creates the colour as `recorded` says while the check runs; on a problem the created container is
   * removed and the problem thrown; when the new config makes another colour, it is made again from it.
   */
  private async createBesideCheck(
    recorded: WebService,
    checked: Promise<Error | undefined>,
    build = true,
    plan?: ColourPlan,
  ): Promise<void> {
    const [made, problem] = await Promise.all([
      this.createColour(recorded, build, plan).then(
        () => undefined,
        (error: unknown) => error as Error,
      ),
      checked,
    ]);
    if (problem) {
      await this.removeCreated(recorded).catch(() => undefined);
      throw problem;
    }
    const web = this.requireWeb();
    if (makesSameColour(recorded, web)) {
      if (made) throw made;
      return;
    }
    this.log.info(`The web service's config is not what berth recorded at the last switch: its new colour is made again from it.`);
    await this.removeCreated(recorded);
    await this.createColour(web, build);
  }

  /** Starts the new colour beside the live one, proves it at its own address, then switches the proxy to it. */
  async start(steps: Steps): Promise<void> {
    this.retireInKeep = true;
    const web = await this.webService();
    const plan = await steps.run('up', 'Start the new colour beside the live one', () => this.startCreated(web));
    const port = colourPort(web, plan.next, this.strategy.colourPorts);
    await steps.run('ready', `Health check of ${plan.next} at its own address (port ${port})`, () => this.checkColour(web));
    await steps.run('switch', `Switch the proxy on port ${this.strategy.publicPort} to ${plan.next}`, () => this.switchColour(web));
  }

  private requireWeb(): WebService {
    if (!this.web) throw new Error('The web service was not read.');
    return this.web;
  }

  /** Plans the colours and removes what a stopped run left; the next colour's container is made after this. */
  private async prepareColour(
    web: WebService,
    known?: ColourPlan,
  ): Promise<{ plan: ColourPlan; env: Record<string, string>; others: string[] }> {
    await this.ensureProxy();
    const plan = known ?? (await this.planNow(web));
    this.plan = plan;
    for (const c of plan.leftovers) {
      this.log.info(`Removing ${c.name}: a colour a stopped run left, not behind the proxy.`);
      await this.app.docker(containerCommands.remove(c.id));
    }
    return { plan, env: this.envOf(web, plan.next), others: othersThan(web) };
  }

  /** The environment Compose renders the web service with for `colour`. */
  private envOf(web: WebService, colour: Colour): Record<string, string> {
    return colourEnv(colourPort(web, colour, this.strategy.colourPorts));
  }

  /**
   * The web service's next colour created (not started); with `build`, the web service built first and
   * the other services built beside it (a rollback's images are kept ones, not built).
   */
  private async createColour(web: WebService, build = true, known?: ColourPlan): Promise<void> {
    const { plan, env, others } = await this.prepareColour(web, known);
    const [created, builtOthers] = await Promise.allSettled([
      this.app.createBeside(web.name, plan.old.length + 1, env, build),
      build && others.length > 0 ? this.app.build(others) : undefined,
    ]);
    if (created.status === 'fulfilled') this.created = { colour: plan.next, container: await this.freshContainer(web, plan) };
    if (created.status === 'rejected') throw created.reason;
    if (builtOthers.status === 'rejected') throw builtOthers.reason;
  }

  /** `up`: the other services updated, then the colour the build created started. */
  private async startCreated(web: WebService): Promise<ColourPlan> {
    const { created, plan } = this;
    if (!created || !plan) return this.startColour(web);
    const others = othersThan(web);
    if (others.length > 0) await this.app.upOnly(others, this.envOf(web, plan.next));
    await this.app.docker(containerCommands.start(created.container.id));
    await this.began(web, plan, created.container);
    return plan;
  }

  /** A rollback's or restart's `up`: what a stopped run left removed, the other services updated, the next colour started by Compose. */
  private async startColour(web: WebService): Promise<ColourPlan> {
    const { plan, env, others } = await this.prepareColour(web);
    if (others.length > 0) await this.app.upOnly(others, env);
    await this.app.startBeside(web.name, plan.old.length + 1, env);
    await this.began(web, plan, await this.freshContainer(web, plan));
    return plan;
  }

  /** The one container of the web service Compose just made: not among those serving when the plan was made. */
  private async freshContainer(web: WebService, plan: ColourPlan): Promise<ContainerState> {
    const before = new Set(plan.old.map((c) => c.id));
    const fresh = (await this.app.containers()).filter((c) => c.service === web.name && !before.has(c.id));
    const [container, ...more] = fresh;
    if (!container || more.length > 0) throw new Error(`Compose made ${fresh.length} new containers of ${web.name}, not one.`);
    return container;
  }

  /** The new colour runs: where the proxy and the checks reach it. */
  private async began(web: WebService, plan: ColourPlan, container: ContainerState): Promise<void> {
    const port = colourPort(web, plan.next, this.strategy.colourPorts);
    const address = web.hostNetwork ? undefined : (await this.app.docker(containerCommands.addresses(container.id))).trim().split('\n')[0];
    this.started = { colour: plan.next, container, upstream: upstreamOf(web, port, address) };
    this.created = undefined;
    this.log.info(`Started ${container.name} as ${plan.next}, at ${this.started.upstream}.`);
  }

  /** Starts the proxy unless this run saw it running (a rollback or restart did not pass the `pull` step). */
  private async ensureProxy(): Promise<void> {
    if (this.proxyUp) return;
    await this.proxy.ensureRunning(this.strategy.proxyImage);
    this.proxyUp = true;
  }

  private async checkColour(web: WebService): Promise<void> {
    const started = this.requireStarted();
    const url = this.settings.health.url;
    const healthy = await awaitHealthy(this.app, this.executor, this.settings, this.health, {
      pick: servingWith(web, started.container.id),
      url: url ? colourUrl(url, started.upstream) : null,
    });
    this.readyPassed = new Set(healthy.containers.filter((c) => c.health === 'healthy').map((c) => c.id));
  }

  private async switchColour(web: WebService): Promise<void> {
    const started = this.requireStarted();
    await this.proxy.route(this.server, this.strategy.publicPort, started.upstream, this.plan?.liveUpstream);
    this.switched = true;
    this.log.info(`The proxy on port ${this.strategy.publicPort} sends requests to ${started.colour} (${started.upstream}).`);
    await (
      await this.stateFile()
    ).write({
      service: web.name,
      live: { colour: started.colour, container: started.container.id, upstream: started.upstream },
      web: recordOf(web),
    });
  }

  /**
   * The deploy's `up`, `ready` and `switch` without their steps: what a rollback (starting the colour it
   * created) or a restart of the web service (Compose starting one) does.
   */
  private async swapColour(web: WebService): Promise<void> {
    await this.startCreated(web);
    await this.checkColour(web);
    await this.switchColour(web);
  }

  private requireStarted(): StartedColour {
    if (!this.started) throw new Error('No new colour was started.');
    return this.started;
  }

  /**
   * After ship, restore or restart: healthy through the proxy, then the old colour drained and stopped.
   * A restart whose new colour fails here is switched back at once (a deploy's failure path does that).
   */
  async prove(): Promise<Proven> {
    const web = await this.webService();
    const started = this.started;
    const restarting = this.restarting;
    this.restarting = false;
    const healthy = await awaitHealthy(this.app, this.executor, this.settings, this.health, {
      pick: servingWith(web, started?.container.id),
      passed: this.readyPassed,
    }).catch(async (error: unknown) => {
      if (restarting) await this.abandon().catch(() => undefined);
      throw error;
    });
    this.readyPassed = new Set();
    this.proven = healthy.containers;
    if (started && this.retireInKeep) {
      this.retirement = this.retireOld().then(
        () => undefined,
        (error: unknown) => error as Error,
      );
    } else if (started) await this.retireOld();
    return { services: servicesSummary(healthy.containers), ...releaseImages(healthy.containers), elapsedMs: healthy.elapsedMs };
  }

  /**
   * Waits until the old colour has no request in flight (up to DRAIN_TIMEOUT_MS), then stops and removes
   * it. Its address stays in the proxy's config, in the route no request matches, until the next switch
   * replaces it: dropping it now would be one more reload, and each reload closes the clients' idle
   * kept-alive connections (a request sent on one at that instant fails; see the README).
   */
  private async retireOld(): Promise<void> {
    const plan = this.plan;
    for (const old of plan?.old ?? []) {
      if (plan?.liveUpstream) {
        const left = await this.proxy.drained(plan.liveUpstream, DRAIN_TIMEOUT_MS);
        if (left > 0) this.log.warn(`${old.name} still had ${left} requests in flight after ${DRAIN_TIMEOUT_MS / 1000}s: stopping it.`);
      }
      this.retiring = true;
      await this.app.docker(containerCommands.stop(old.id, STOP_GRACE_SECONDS));
      await this.app.docker(containerCommands.remove(old.id));
      this.log.info(`Stopped ${old.name} (${plan?.live?.colour ?? 'the old version'}).`);
    }
    this.started = undefined;
    this.switched = false;
    this.retiring = false;
  }

  /**
   * After a failed or stopped deploy: removes the new colour, switching the proxy back to the old one
   * first when it had switched, and points the image names at what serves again. Undefined when there
   * is no old colour to serve (a first deploy that switched, or the old one already stopping): the usual
   * failure path then runs.
   */
  async abandon(): Promise<Abandoned | undefined> {
    const { plan, started } = this;
    const back = this.switched ? plan?.liveUpstream : undefined;
    if (this.switched && (!back || this.retiring)) return undefined;
    if (back) {
      // The new colour stays in the proxy's count until it is removed: its requests in flight finish first.
      await this.proxy.route(this.server, this.strategy.publicPort, back, started?.upstream);
      await (await this.stateFile()).write({ service: (await this.webService()).name, live: plan?.live });
      this.log.info(`Switched the proxy back to ${plan?.live?.colour ?? 'the old version'} (${back}).`);
    }
    if (started) {
      if (back) {
        await this.proxy.drained(started.upstream, ABANDON_DRAIN_MS);
        await realSleep(ABANDON_SETTLE_MS);
        await this.proxy.drained(started.upstream, ABANDON_DRAIN_MS);
      }
      await this.app.docker(containerCommands.remove(started.container.id));
      this.log.info(`Removed ${started.container.name} (${started.colour}); the old version serves.`);
    }
    if (back) await this.proxy.route(this.server, this.strategy.publicPort, back);
    this.started = undefined;
    this.switched = false;
    if (this.built) await this.unstage();
    return back ? 'switched-back' : 'untouched';
  }

  /**
   * The containers of the web service that serve nothing and were not started by this run: the one the
   * build created (a stopped build may have made it without berth learning its id), removed.
   */
  private async removeCreated(web = this.web): Promise<void> {
    const { plan } = this;
    if (!plan || !web || this.started) return;
    const serving = new Set(plan.old.map((c) => c.id));
    // Only never-started ones: the plan may have been made for the recorded web service, not `web`
    // (a run stopped before the colour was made again), and would not name `web`'s live container.
    const made = (await this.app.containers()).filter((c) => c.service === web.name && c.state === 'created' && !serving.has(c.id));
    for (const c of made) await this.app.docker(containerCommands.remove(c.id));
    if (made.length > 0) this.log.info(`Removed ${made.map((c) => c.name).join(', ')}: created by this run, never started.`);
    this.created = undefined;
  }

  /**
   * The built images took the names the live containers' images had: those names point at the live
   * images again, and the colour the build created (never started) is removed.
   */
  async unstage(): Promise<void> {
    await this.removeCreated();
    const web = await this.webService();
    const live = this.plan?.live?.container;
    const running = servingWith(web, live)(await this.app.containers());
    const images = releaseImages(running);
    await this.app.restoreImages(images.images, images.imageNames);
  }

  /** The release's images kept and older ones pruned, while a deploy's old colour drains and stops. */
  async keep(release: Release, _proven: Proven, keep: readonly Release[]): Promise<void> {
    const [retired, kept] = await Promise.all([
      this.retirement,
      this.app.keepRelease(this.proven, release, keep).then(
        () => undefined,
        (error: unknown) => error as Error,
      ),
    ]);
    this.retirement = undefined;
    if (kept) throw kept;
    if (retired) {
      const old = this.plan?.old.map((c) => c.name).join(', ') ?? 'the old colour';
      throw new BerthError(
        `The new version serves, but ${old} could not be stopped: ${retired.message}`,
        'The proxy no longer sends it requests; the next deploy removes it.',
      );
    }
  }

  /**
   * A recorded release back with no failed request: when the live colour already runs it (a stopped run's
   * clean-up), only what that run left is removed; else its kept images (or a rebuild) start as the other
   * colour, which is proven, switched to, and the old one retired.
   */
  async restore(target: Release): Promise<Restored> {
    const commit = target.commit;
    if (!commit) throw new InputError(`Release ${target.id} has no commit to restore.`);
    // A rollback (also a failed deploy's) has no bookkeeping to retire the old colour beside: `prove` does.
    this.retireInKeep = false;
    await this.app.checkout(commit);
    this.web = undefined;
    // That commit's web service is read (Compose renders its config) while the rest goes on.
    const reading = this.webService().then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    const [state] = await Promise.all([this.stateFile().then((file) => file.read()), this.app.learnProject()]);
    const recorded = state?.web ? webOfRecord(state.web) : undefined;
    if (!recorded) await rethrow(reading);
    const known = recorded ?? this.requireWeb();
    const seen = await this.lookNow(known);
    // The image names point at the release's kept images meanwhile (what serves, should it run them already).
    const [already, kept] = await Promise.all([this.runs(target, known, seen), this.app.restoreImages(target.images, target.imageNames)]);
    if (already) {
      await this.abandon();
      return { proven: await this.prove(), images: 'kept' };
    }
    if (!kept) {
      this.log.info('The kept images of that release are gone: rebuilding it.');
      await this.app.build();
    }
    // Created from what berth recorded of the web service while its config is read, as a deploy does.
    if (recorded) await this.createBesideCheck(recorded, reading, false, seen.plan);
    else await this.createColour(known, false, seen.plan);
    await this.swapColour(this.requireWeb());
    return { proven: await this.prove(), images: kept ? 'kept' : 'rebuilt' };
  }

  async look(): Promise<Looked> {
    const web = await this.webService();
    const plan = await this.planNow(web);
    const verdict = await checkHealth(this.app, this.executor, this.settings, undefined, {
      pick: servingWith(web, plan.live?.container),
    });
    const containers = verdict.containers ?? [];
    const proxyPort = `the proxy on port ${this.strategy.publicPort}`;
    const live = !plan.liveUpstream
      ? `  ${web.name}: ${proxyPort} has no route for this app${plan.live ? ` (berth last switched it to ${plan.live.colour})` : ''}`
      : plan.live
        ? `  ${web.name}: ${plan.live.colour} is live (${plan.live.upstream}), behind ${proxyPort}`
        : `  ${web.name}: ${proxyPort} sends requests to ${plan.liveUpstream}`;
    return {
      verdict,
      services: servicesSummary(containers),
      lines: [live, ...containers.map((c) => `  ${c.service.padEnd(20)} ${c.state}${c.health ? ` (${c.health})` : ''}  ${c.image}`)],
    };
  }

  /** The live colour and every other service run `target`'s images. */
  async runs(target: Release, known?: WebService, seen?: { plan: ColourPlan; containers: ContainerState[] }): Promise<boolean> {
    const web = known ?? (await this.webService());
    const now = seen ?? (await this.lookNow(web).catch(() => undefined));
    const live = now?.plan.live;
    if (!now || !live) return false;
    const images = Object.entries(target.images);
    const serving = servingWith(web, live.container)(now.containers);
    if (images.length === 0 || serving.length !== images.length) return false;
    return images.every(([service, id]) => serving.some((c) => c.service === service && c.imageId === id && c.state === 'running'));
  }

  /** The web service gets a new colour from the image it runs (no failed request); other services restart in place. */
  async restart(services: readonly string[]): Promise<void> {
    const web = await this.webService();
    const named = services.length > 0 ? services : web.projectServices;
    const others = named.filter((s) => s !== web.name);
    if (others.length > 0) await this.app.restart(others);
    if (!named.includes(web.name)) return;
    this.restarting = true;
    try {
      await this.swapColour(web);
    } catch (error) {
      await this.abandon().catch(() => undefined);
      throw error;
    }
  }

  async services(named: readonly string[]): Promise<readonly string[]> {
    return named.length > 0 ? named : this.app.serviceNames();
  }

  /** Compose's logs: after a deploy the old colour is gone, so the web service's are the live colour's. */
  async logs(services: readonly string[], lines: number): Promise<void> {
    await this.app.logs(services, lines);
  }
}
