/**
 * What blue-green checks before anything changes: the public port (before the lock), and the new
 * version's web service and next colour's port (beside the build), its image's healthcheck (after it).
 * Each failure is an InputError naming the input, or says what holds the proxy's admin port.
 */
import { dockerCommands } from '../commands/compose.js';
import type { RemoteApp } from '../engine/remote-app.js';
import { BerthError, InputError } from '../errors.js';
import type { BerthProxy } from '../proxy/berth-proxy.js';
import { CADDY_ADMIN } from '../proxy/caddy-admin.js';
import { serversOnPort } from '../proxy/caddy-config.js';
import { Inputs } from '../settings/input-names.js';
import type { BlueGreenSettings, Settings } from '../settings/settings.js';
import type { ColourPlan, WebService } from './colour-plan.js';
import { blueGreenProblems, colourPort } from './colours.js';

export interface CheckContext {
  readonly app: RemoteApp;
  readonly proxy: BerthProxy;
  readonly settings: Settings;
  readonly strategy: BlueGreenSettings;
  /** The Compose project's name, and the app's server in the proxy. */
  readonly project: string;
  readonly server: string;
  readonly plan: (web: WebService) => Promise<ColourPlan>;
}

/**
 * The public port is the app's own server's in the proxy, or free; and, when the proxy does not run yet,
 * its admin port is free too.
 */
export async function checkPublicPort(ctx: CheckContext): Promise<void> {
  const { proxy, server } = ctx;
  const { publicPort } = ctx.strategy;
  const [listening, container] = await Promise.all([proxy.listening(), proxy.container()]);
  const config = container?.state === 'running' ? await proxy.config().catch(() => null) : null;
  const ours = config?.apps?.http?.servers?.[server]?.listen?.some((a) => a.endsWith(`:${publicPort}`)) ?? false;
  const others = serversOnPort(config, publicPort, server);
  const where = `on ${ctx.app.where}`;
  if (others.length > 0) throw portTaken(Inputs.publicPort, publicPort, where, `the proxy serves another app there (${others.join(', ')})`);
  if (listening.has(publicPort) && !ours) throw portTaken(Inputs.publicPort, publicPort, where, 'another process listens there');
  if (container?.state !== 'running' && listening.has(CADDY_ADMIN.port)) {
    throw new BerthError(
      `Port ${CADDY_ADMIN.port} ${where} is taken by another process, and berth's proxy needs it for its admin API (127.0.0.1:${CADDY_ADMIN.port}).`,
      'Stop what listens there (another Caddy?). Nothing was changed on the server.',
    );
  }
}

/**
 * The web service can run twice and be judged, and the next colour's port is free; with `built`, only
 * what the build told: whether its image brings a healthcheck (when neither Compose nor health-url give one).
 */
export async function checkWebService(ctx: CheckContext, web: WebService, built: boolean): Promise<void> {
  const hasUrl = ctx.settings.health.url !== undefined;
  if (!built) {
    refuse(blueGreenProblems(web, hasUrl));
    await checkColourPort(ctx, web);
  } else if (!hasUrl && web.healthcheck === 'unset') {
    refuse(blueGreenProblems(web, hasUrl, await imageHasHealthcheck(ctx, web)));
  }
}

/** Whether the web service's built image has a healthcheck of its own; undefined when the image is not found. */
async function imageHasHealthcheck(ctx: CheckContext, web: WebService): Promise<boolean | undefined> {
  const names = web.image ? [web.image] : [`${ctx.project}_${web.name}`, `${ctx.project}-${web.name}`];
  for (const name of names) {
    const found = await ctx.app.docker(dockerCommands.imageHealthcheck(name)).catch(() => undefined);
    if (found !== undefined) return found.trim() !== 'null' && found.trim() !== '';
  }
  return undefined;
}

/** The next colour's port is free, or held by a colour a stopped run left (removed before the start). */
async function checkColourPort(ctx: CheckContext, web: WebService): Promise<void> {
  if (!web.hostNetwork) return;
  const [listening, plan] = await Promise.all([ctx.proxy.listening(), ctx.plan(web)]);
  const port = colourPort(web, plan.next, ctx.strategy.colourPorts);
  if (listening.has(port) && plan.leftovers.length === 0) {
    throw portTaken(Inputs.colourPorts, port, `on ${ctx.app.where}`, `another process listens on the ${plan.next} colour's port`);
  }
}

function refuse(problems: readonly string[]): void {
  if (problems.length === 0) return;
  throw new InputError(
    `Invalid input '${Inputs.strategy}': blue-green cannot run the web service as it is:\n${problems.map((p) => `- ${p}`).join('\n')}`,
    'Nothing was changed on the server.',
  );
}

function portTaken(input: string, port: number, where: string, why: string): InputError {
  return new InputError(
    `Invalid input '${input}': port ${port} ${where} is taken: ${why}.`,
    'Choose a free port, or stop what holds it. Nothing was changed on the server.',
  );
}
