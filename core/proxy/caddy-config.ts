/** The Caddy JSON berth writes for an app behind the proxy, and what it reads back. Pure. */

/** How long Caddy retries a request whose upstream cannot be reached (a colour restarting), before a 502. */
const TRY_DURATION = '2s';

/** One app's Caddy server: the public port, everything proxied to the live colour. */
export interface AppServer {
  readonly listen: string[];
  readonly automatic_https: { readonly disable: boolean };
  readonly routes: ReadonlyArray<{
    readonly match?: ReadonlyArray<Record<string, unknown>>;
    readonly handle: ReadonlyArray<Record<string, unknown>>;
  }>;
}

/**
 * A route no request matches, naming the old colour while it drains. Caddy counts an upstream's requests
 * in flight (GET /reverse_proxy/upstreams) only while its config names it: without this route the old
 * colour leaves that list the moment the switch loads, its requests still running.
 */
function drainRoute(draining: string) {
  return { match: [{ expression: 'false' }], handle: [{ handler: 'reverse_proxy', upstreams: [{ dial: draining }] }] };
}

/** The name of the app's server in Caddy's config: one per Compose project. */
export function serverName(project: string): string {
  return `berth-${project}`;
}

/** The server sending every request to `upstream`; `draining`: the old colour, still counted until it is stopped. */
export function appServer(publicPort: number, upstream: string, draining?: string): AppServer {
  return {
    listen: [`:${publicPort}`],
    automatic_https: { disable: true },
    routes: [
      ...(draining && draining !== upstream ? [drainRoute(draining)] : []),
      {
        handle: [
          {
            handler: 'reverse_proxy',
            upstreams: [{ dial: upstream }],
            load_balancing: { try_duration: TRY_DURATION, try_interval: '100ms' },
          },
        ],
      },
    ],
  };
}

interface RawServer {
  listen?: string[];
  routes?: Array<{ match?: unknown[]; handle?: Array<{ handler?: string; upstreams?: Array<{ dial?: string }> }> }>;
}

export type RawConfig = { apps?: { http?: { servers?: Record<string, RawServer> } } } | null;

/** The upstream the app's server proxies to now, or undefined when it has none. */
export function liveUpstream(config: RawConfig, name: string): string | undefined {
  const server = config?.apps?.http?.servers?.[name];
  const proxy = server?.routes?.find((r) => !r.match)?.handle?.find((h) => h.handler === 'reverse_proxy');
  return proxy?.upstreams?.[0]?.dial;
}

/** The servers other than `name` that listen on `port`. */
export function serversOnPort(config: RawConfig, port: number, name: string): string[] {
  const servers = Object.entries(config?.apps?.http?.servers ?? {});
  return servers
    .filter(([other, server]) => other !== name && (server.listen ?? []).some((address) => address.endsWith(`:${port}`)))
    .map(([other]) => other);
}

/** The config with an (empty) http app, keeping everything else in it. */
export function withHttpApp(config: RawConfig): NonNullable<RawConfig> {
  const base = config ?? {};
  const http = base.apps?.http ?? {};
  return { ...base, apps: { ...base.apps, http: { ...http, servers: http.servers ?? {} } } };
}

/** In-flight requests to `address`, from GET /reverse_proxy/upstreams; 0 when Caddy no longer lists it. */
export function inFlight(upstreams: unknown, address: string): number {
  if (!Array.isArray(upstreams)) return 0;
  const entry = (upstreams as Array<{ address?: string; num_requests?: number }>).find((u) => u.address === address);
  return entry?.num_requests ?? 0;
}
