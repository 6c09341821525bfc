/** The deploy strategy's inputs (`strategy`, `public-port`, `colour-ports`, `proxy-image`), `web-service` and `migrate-command`. */
import { Inputs, STRATEGIES } from './input-names.js';
import type { OrchestratorSettings, StrategySettings } from './settings.js';
import * as v from './validators.js';

/** The proxy image when none is given: Docker Hub's official Caddy. */
export const DEFAULT_PROXY_IMAGE = 'caddy:2.6';
/** The colours' ports when none are given: blue, then green. */
export const DEFAULT_COLOUR_PORTS = '5001 5002';

/** An image reference: `caddy:2.6`, `registry.example.com:5000/team/caddy@sha256:…`; nothing docker could read as an option. */
const IMAGE = /^[a-z0-9][a-z0-9._/:@-]*$/i;

/** A health URL and the input it came from: `health-url`, or a host line's `health-url=`. */
export interface NamedUrl {
  readonly name: string;
  readonly url: URL | undefined;
}

/** Reads the strategy inputs; each problem names its input. */
export function parseStrategy(
  p: v.Problems,
  get: (name: (typeof Inputs)[keyof typeof Inputs]) => string,
  orchestrator: OrchestratorSettings | undefined,
  healthUrls: readonly NamedUrl[],
): StrategySettings | undefined {
  const kind = get(Inputs.strategy) || 'recreate';
  if (!(STRATEGIES as readonly string[]).includes(kind)) {
    return p.add(
      Inputs.strategy,
      `${v.show(kind)} is not a deploy strategy`,
      `one of ${STRATEGIES.join(', ')} (recreate: replace containers in place; blue-green: start the new version beside the old behind a proxy)`,
    );
  }
  const blueGreenOnly = [Inputs.publicPort, Inputs.colourPorts, Inputs.proxyImage] as const;
  if (kind === 'recreate') {
    for (const name of blueGreenOnly) {
      if (get(name)) p.add(name, `it is set but ${Inputs.strategy} is recreate`, `'${Inputs.strategy}: blue-green', or no ${name}`);
    }
    return { kind };
  }
  if (orchestrator?.kind === 'swarm') {
    return p.add(
      Inputs.strategy,
      'blue-green is for Compose; with orchestrator swarm, Swarm replaces tasks itself',
      "'update_config: order: start-first' in the stack file, or orchestrator compose",
    );
  }
  return blueGreen(p, get, healthUrls);
}

function blueGreen(p: v.Problems, get: (name: (typeof Inputs)[keyof typeof Inputs]) => string, healthUrls: readonly NamedUrl[]) {
  const publicText = get(Inputs.publicPort);
  const publicPort = publicText
    ? v.integer(p, Inputs.publicPort, publicText, 1, 65535)
    : p.missing(Inputs.publicPort, 'the public port the proxy listens on with strategy blue-green, such as 80');
  const colourPorts = parseColourPorts(p, get(Inputs.colourPorts) || DEFAULT_COLOUR_PORTS, publicPort);
  const proxyImage = get(Inputs.proxyImage) || DEFAULT_PROXY_IMAGE;
  if (!IMAGE.test(proxyImage)) p.add(Inputs.proxyImage, `${v.show(proxyImage)} is not an image reference`, 'an image such as `caddy:2.6`');
  for (const { name, url } of healthUrls) checkHealthUrl(p, name, url, publicPort);
  if (!publicPort || !colourPorts) return undefined;
  return { kind: 'blue-green' as const, publicPort, colourPorts, proxyImage };
}

/**
 * A health URL names the public address: berth checks the new colour on its path at the colour's own
 * port, then through the proxy. Both speak plain HTTP (the proxy's server has no TLS), so https could pass neither.
 */
function checkHealthUrl(p: v.Problems, name: string, url: URL | undefined, publicPort: number | undefined): void {
  if (!url || !publicPort) return;
  if (url.protocol === 'https:') {
    p.add(
      name,
      `it is https, but berth's proxy serves plain HTTP on ${Inputs.publicPort} ${publicPort}`,
      `an http:// URL of the public address, such as http://localhost:${publicPort}/health (TLS belongs in front of the proxy)`,
    );
  } else if (urlPort(url) !== publicPort) {
    p.add(
      name,
      `its port ${urlPort(url)} is not ${Inputs.publicPort} ${publicPort}`,
      `the public address, through the proxy (such as http://localhost:${publicPort}/health): berth checks the new colour on the same path at its own port first`,
    );
  }
}

function parseColourPorts(p: v.Problems, text: string, publicPort: number | undefined): readonly [number, number] | undefined {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  const ports = parts.map((part) => v.integer(p, Inputs.colourPorts, part, 1, 65535));
  const [blue, green] = ports;
  if (parts.length !== 2)
    return p.add(Inputs.colourPorts, `${v.show(text)} is not two ports`, 'two ports, blue then green, such as `5001 5002`');
  if (blue === undefined || green === undefined) return undefined;
  if (blue === green) return p.add(Inputs.colourPorts, `both colours are port ${blue}`, 'two different ports, such as `5001 5002`');
  if (blue === publicPort || green === publicPort) {
    return p.add(
      Inputs.colourPorts,
      `port ${publicPort} is also ${Inputs.publicPort}`,
      'ports other than the public one: the proxy listens there',
    );
  }
  return [blue, green];
}

export function urlPort(url: URL): number {
  return Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
}

/** `web-service`: one Compose service name, or undefined (found on the server). */
export function parseWebService(p: v.Problems, text: string): string | undefined {
  const [webService, ...extra] = text ? v.serviceNames(p, Inputs.webService, text) : [];
  if (extra.length > 0) p.add(Inputs.webService, `${v.show(text)} names ${extra.length + 1} services`, 'the one service behind the proxy');
  return webService;
}

/** `migrate-command`: any shell text, run in the web service's new image; Compose only (a stack has no one-off runs). */
export function parseMigrateCommand(p: v.Problems, text: string, orchestrator: OrchestratorSettings | undefined): string | undefined {
  if (!text) return undefined;
  if (orchestrator?.kind === 'swarm') {
    return p.add(
      Inputs.migrateCommand,
      'it is set but orchestrator is swarm',
      'orchestrator compose, or run migrations as a service of the stack',
    );
  }
  return text;
}
