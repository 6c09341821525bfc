/** Which colour is live, which starts next, and where the proxy and the checks reach each. Pure. */
import type { ServiceConfig } from '../engine/web-service.js';

export const COLOURS = ['blue', 'green'] as const;
export type Colour = (typeof COLOURS)[number];

/** What berth keeps on the server of the colours (`blue-green.json` in its state directory). */
export interface ColourState {
  readonly service: string;
  /** The colour the proxy sends requests to, and its container. */
  readonly live: { readonly colour: Colour; readonly container: string; readonly upstream: string } | undefined;
  /**
   * What the live version's Compose config said of the web service, as far as making its next colour
   * goes: the next deploy builds and creates that colour while the new commit's config is read, and
   * makes it again if the config says otherwise.
   */
  readonly web?: RecordedWeb;
}

export interface RecordedWeb {
  readonly name: string;
  readonly hostNetwork: boolean;
  readonly containerPorts: readonly number[];
  readonly projectServices: readonly string[];
}

/** The colour that is not `live` (blue when none is). */
export function otherColour(live: Colour | undefined): Colour {
  return live === 'blue' ? 'green' : 'blue';
}

/** The port a colour listens on: its `colour-ports` entry (host networking), or the web service's one container port. */
export function colourPort(web: ServiceConfig, colour: Colour, ports: readonly [number, number]): number {
  if (web.hostNetwork) return colour === 'blue' ? ports[0] : ports[1];
  return web.containerPorts[0] ?? 0;
}

/** Where the proxy dials a colour: 127.0.0.1 for host networking (the proxy shares the host's), else the container's address. */
export function upstreamOf(web: ServiceConfig, port: number, containerAddress: string | undefined): string {
  const host = web.hostNetwork ? '127.0.0.1' : (containerAddress ?? '');
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** The health URL's path at a colour's own address, as the server sees it. */
export function colourUrl(healthUrl: URL, upstream: string): URL {
  const url = new URL(healthUrl.href);
  url.host = upstream;
  return url;
}

/** The environment Compose renders the web service with for a colour: BERTH_PORT is its port. */
export function colourEnv(port: number): Record<string, string> {
  return { BERTH_PORT: String(port) };
}

/**
 * What is wrong with the web service for blue-green (empty: nothing): each a line naming the input or
 * the Compose setting to change. Two copies of it must be able to run at once and be judged healthy.
 */
export function blueGreenProblems(
  web: ServiceConfig & { usesBerthPort: boolean },
  hasHealthUrl: boolean,
  imageHasHealthcheck?: boolean,
): string[] {
  const problems: string[] = [];
  const service = `the web service '${web.name}'`;
  if (web.containerName) {
    problems.push(
      `${service} sets container_name ${JSON.stringify(web.containerName)}: two copies cannot share one name. Remove container_name.`,
    );
  }
  if (web.hostNetwork && !web.usesBerthPort) {
    problems.push(
      `${service} uses network_mode host but not BERTH_PORT: its two colours would listen on one port. Listen on \${BERTH_PORT:-5000} (in its environment or command, and its healthcheck).`,
    );
  }
  if (!web.hostNetwork && web.published.length > 0) {
    problems.push(
      `${service} publishes ${web.published.join(', ')} on the host: a second copy cannot. Remove its ports: the proxy publishes public-port.`,
    );
  }
  if (!web.hostNetwork && web.containerPorts.length !== 1) {
    problems.push(
      `${service} ${web.containerPorts.length === 0 ? 'declares no port' : `declares ports ${web.containerPorts.join(', ')}`}: the proxy needs the one it listens on. Declare exactly one under expose.`,
    );
  }
  const noHealthcheck = web.healthcheck === 'disabled' || (web.healthcheck === 'unset' && imageHasHealthcheck === false);
  if (!hasHealthUrl && noHealthcheck) {
    problems.push(
      `${service} has no healthcheck and health-url is empty: berth could not tell when the new colour is ready, and would switch traffic to a version that may not answer. Set health-url, or give the service a healthcheck.`,
    );
  }
  return problems;
}
