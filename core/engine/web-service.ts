/**
 * The web service: the Compose service behind the proxy (blue-green) and the one migrations run in.
 * Read from the project's config as Compose renders it, so `.env`, `extends` and several files count.
 */
import { parse } from 'yaml';
import { InputError } from '../errors.js';
import { Inputs } from '../settings/input-names.js';
import { show } from '../settings/validators.js';

/** One service as `compose config` renders it: only what berth reads. */
export interface ServiceConfig {
  readonly name: string;
  readonly hostNetwork: boolean;
  readonly containerName: string | undefined;
  /** Host ports it publishes (`ports:` with a published side). */
  readonly published: readonly string[];
  /** Container ports it declares (`ports:` targets and `expose:`). */
  readonly containerPorts: readonly number[];
  /** Its Compose healthcheck: set, turned off (`disable: true`, `test: NONE`), or not in Compose (the image's, if any, applies). */
  readonly healthcheck: 'set' | 'disabled' | 'unset';
  /** Its `image:`, when Compose names one. */
  readonly image: string | undefined;
  /** The service as rendered, for telling whether BERTH_PORT changes it. */
  readonly rendered: string;
}

interface RawService {
  network_mode?: string;
  container_name?: string;
  ports?: Array<string | number | { target?: number | string; published?: number | string }>;
  expose?: Array<string | number>;
  healthcheck?: { test?: unknown; disable?: boolean };
  image?: string;
}

/** The services of a rendered Compose config, in their order. */
export function servicesOfConfig(yaml: string): ServiceConfig[] {
  const doc = (parse(yaml) ?? {}) as { services?: Record<string, RawService> };
  return Object.entries(doc.services ?? {}).map(([name, raw]) => serviceOf(name, raw ?? {}));
}

function serviceOf(name: string, raw: RawService): ServiceConfig {
  const published: string[] = [];
  const containerPorts: number[] = [];
  for (const port of raw.ports ?? []) {
    if (typeof port === 'object') {
      if (port.published !== undefined && String(port.published) !== '') published.push(String(port.published));
      if (port.target !== undefined) containerPorts.push(Number(port.target));
      continue;
    }
    // "8080:80", "127.0.0.1:8080:80/tcp", "80"
    const parts = String(port)
      .replace(/\/\w+$/, '')
      .split(':');
    const target = Number(parts.at(-1));
    if (parts.length > 1) published.push(parts.slice(0, -1).join(':'));
    if (Number.isInteger(target)) containerPorts.push(target);
  }
  for (const port of raw.expose ?? []) {
    const target = Number(String(port).replace(/\/\w+$/, ''));
    if (Number.isInteger(target)) containerPorts.push(target);
  }
  const test = raw.healthcheck?.test;
  const off = raw.healthcheck?.disable === true || (Array.isArray(test) && test[0] === 'NONE') || test === 'NONE';
  return {
    name,
    hostNetwork: raw.network_mode === 'host',
    containerName: raw.container_name,
    published,
    containerPorts: [...new Set(containerPorts)],
    healthcheck: off ? 'disabled' : test !== undefined ? 'set' : 'unset',
    image: raw.image,
    rendered: JSON.stringify(raw),
  };
}

/**
 * The web service: the one named by `web-service` (an input error when the project has no such service),
 * the project's only service, or the one service that publishes or exposes a port or whose config
 * BERTH_PORT changes.
 * `usesBerthPort` says, per service, whether rendering with another BERTH_PORT changed it.
 */
export function pickWebService(
  services: readonly ServiceConfig[],
  named: string | undefined,
  usesBerthPort: (service: string) => boolean,
  where: string,
): ServiceConfig {
  const known = services.map((s) => s.name);
  if (named) {
    const found = services.find((s) => s.name === named);
    if (found) return found;
    throw new InputError(
      `Invalid input '${Inputs.webService}': ${show(named)} is not a service of the Compose project ${where}. Expected one of: ${known.join(', ') || '(none)'}.`,
      'Nothing was changed on the server.',
    );
  }
  const candidates =
    services.length === 1
      ? services
      : services.filter((s) => s.published.length > 0 || s.containerPorts.length > 0 || usesBerthPort(s.name));
  const [only, ...more] = candidates;
  if (only && more.length === 0) return only;
  const why =
    candidates.length === 0
      ? 'no service publishes or exposes a port or uses BERTH_PORT'
      : `${candidates.map((s) => s.name).join(', ')} all publish or expose a port or use BERTH_PORT`;
  throw new InputError(
    `Missing input '${Inputs.webService}': berth cannot tell which service of the Compose project ${where} serves the app (${why}). Expected one of: ${known.join(', ') || '(none)'}.`,
    'Set web-service to the service behind the proxy. Nothing was changed on the server.',
  );
}

/**
 * The web service of the project `render` renders (Compose's config under extra environment variables):
 * rendered once, with BERTH_PORT set to `probePort`, a port unlikely to be written anywhere in a Compose
 * file (a new one each time): a service whose rendered config names it uses BERTH_PORT. (One Compose
 * start-up, ~0.35 s of Python with v1, where rendering with two values and comparing took two.)
 */
export async function findWebService(
  render: (env: Readonly<Record<string, string>>) => Promise<string>,
  named: string | undefined,
  where: string,
  probePort: number = probePortNow(),
): Promise<ServiceConfig & { readonly usesBerthPort: boolean; readonly projectServices: readonly string[] }> {
  const services = servicesOfConfig(await render({ BERTH_PORT: String(probePort) }));
  const usesBerthPort = (service: string): boolean => namesPort(services.find((s) => s.name === service)?.rendered ?? '', probePort);
  const web = pickWebService(services, named, usesBerthPort, where);
  return { ...web, usesBerthPort: usesBerthPort(web.name), projectServices: services.map((s) => s.name) };
}

/** A port in 40000–59999, drawn anew for each render. */
export function probePortNow(random: () => number = Math.random): number {
  return 40_000 + Math.floor(random() * 20_000);
}

/** Whether `text` has `port` as a number of its own (not inside a longer one). */
export function namesPort(text: string, port: number): boolean {
  return new RegExp(`(^|\\D)${port}(\\D|$)`).test(text);
}
