/** What a blue-green run finds on the server, and what it will do with each web container. Pure. */
import type { ContainerState } from '../health/containers.js';
import type { ServiceConfig } from '../engine/web-service.js';
import { type Colour, type ColourState, otherColour, type RecordedWeb } from './colours.js';

/** The web service, and every service of the project it was read with. */
export type WebService = ServiceConfig & { readonly usesBerthPort: boolean; readonly projectServices: readonly string[] };

export interface ColourPlan {
  /** The live colour as berth recorded it, when the record matches the proxy and a running container. */
  readonly live: ColourState['live'];
  /** Where the proxy sends the app's requests now (undefined: it has no route for the app yet). */
  readonly liveUpstream: string | undefined;
  /** The web containers that serve now: stopped after the switch. */
  readonly old: readonly ContainerState[];
  /** Web containers that serve nothing (left by a stopped run): removed before the new colour starts. */
  readonly leftovers: readonly ContainerState[];
  /** The colour this run starts. */
  readonly next: Colour;
}

/** A colour started by this run: its container and the address the proxy and the checks reach it at. */
export interface StartedColour {
  readonly colour: Colour;
  readonly container: ContainerState;
  readonly upstream: string;
}

/**
 * Reads the record against what runs. When the record is missing or does not match (berth's state lost, or
 * the app ran with strategy recreate before), every running web container counts as old — kept serving
 * until the switch — and the next colour is the one whose port the proxy does not use.
 */
export function planColours(
  web: ServiceConfig,
  state: ColourState | undefined,
  liveUpstream: string | undefined,
  containers: readonly ContainerState[],
  colourPorts: readonly [number, number],
): ColourPlan {
  const mine = containers.filter((c) => c.service === web.name);
  const recorded = state?.service === web.name ? state.live : undefined;
  const running = recorded && mine.some((c) => c.id === recorded.container && c.state === 'running');
  // The record counts when the proxy routes to it, or when the proxy lost its config (no route at all)
  // while the recorded colour still runs: the next colour must then still be the other one.
  const live = running && (recorded.upstream === liveUpstream || liveUpstream === undefined) ? recorded : undefined;
  if (live) {
    return {
      live,
      liveUpstream,
      old: mine.filter((c) => c.id === live.container),
      leftovers: mine.filter((c) => c.id !== live.container),
      next: otherColour(live.colour),
    };
  }
  return {
    live: undefined,
    liveUpstream,
    old: mine.filter((c) => c.state === 'running'),
    leftovers: mine.filter((c) => c.state !== 'running'),
    next: otherColour(colourOfUpstream(web, liveUpstream, colourPorts)),
  };
}

/** The colour whose port an upstream address names (host networking only: bridge colours share a port). */
function colourOfUpstream(web: ServiceConfig, upstream: string | undefined, ports: readonly [number, number]): Colour | undefined {
  if (!web.hostNetwork || !upstream) return undefined;
  const port = Number(upstream.slice(upstream.lastIndexOf(':') + 1));
  return port === ports[0] ? 'blue' : port === ports[1] ? 'green' : undefined;
}

/**
 * The containers that serve when the web service's only colour is `container`: every other service's,
 * and that one of the web service's (all of its when `container` is undefined).
 */
export function servingWith(web: ServiceConfig, container: string | undefined): (all: ContainerState[]) => ContainerState[] {
  return (all) => all.filter((c) => c.service !== web.name || container === undefined || c.id === container);
}

/** What the state file keeps of the web service: what making its next colour depends on. */
export function recordOf(web: WebService): RecordedWeb {
  return { name: web.name, hostNetwork: web.hostNetwork, containerPorts: web.containerPorts, projectServices: web.projectServices };
}

/**
 * The web service as the last deploy recorded it, to make the next colour with before the new commit's
 * config is read; what the record does not keep is left empty (the checks read the real config).
 */
export function webOfRecord(record: RecordedWeb): WebService {
  return {
    ...record,
    containerName: undefined,
    published: [],
    healthcheck: 'unset',
    image: undefined,
    rendered: '',
    usesBerthPort: record.hostNetwork,
  };
}

/** Whether a colour made from `record` is the one `web` (the new commit's config) would make. */
export function makesSameColour(record: RecordedWeb, web: WebService): boolean {
  const same = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((x) => b.includes(x));
  return (
    record.name === web.name &&
    record.hostNetwork === web.hostNetwork &&
    (web.hostNetwork || record.containerPorts[0] === web.containerPorts[0]) &&
    same(record.projectServices, web.projectServices)
  );
}
