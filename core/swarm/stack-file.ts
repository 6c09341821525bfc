/**
 * The stack file berth deploys, made from Compose's rendered config (`compose config`: `.env`
 * interpolated, files merged, paths absolute), because `docker stack deploy` reads no `.env`
 * (moby#29133) and ignores `build:` (moby#29940). Each service built from source gets an image
 * tag of its own per commit, since a reused tag does not update a service. Pure.
 */
import { parseDocument, stringify } from 'yaml';
import { BerthError } from '../errors.js';

export interface StackNaming {
  /** The stack's name (`project-name`, default the folder name). */
  readonly stack: string;
  /** The commit being deployed; its first 12 characters tag the built images. */
  readonly commit: string;
  /** Where built images are pushed for the other nodes (`registry.example.com/team`); none on a single node. */
  readonly registry: string | undefined;
}

export interface RenderedStack {
  /** What `docker stack deploy` reads: each built service's `image` set to its tag, `build` removed. */
  readonly stackFile: string;
  /** The same services with `build` kept, for `compose build` to build and tag the built ones; undefined when nothing is built. */
  readonly buildFile: string | undefined;
  /** Service → the image tag berth builds for it. */
  readonly built: Readonly<Record<string, string>>;
  /** Service → the image it runs, built or not. */
  readonly images: Readonly<Record<string, string>>;
}

type Yaml = Record<string, unknown>;

const isObject = (value: unknown): value is Yaml => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An image reference without its tag or digest: `ghcr.io:443/acme/web:1.2@sha256:…` → `ghcr.io:443/acme/web`. */
export function imageRepository(image: string): string {
  const withoutDigest = image.split('@')[0] ?? image;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}

/**
 * The image a built service gets: `<registry>/<stack>-<service>` when pushing, else the
 * repository the Compose file names, else `<stack>-<service>`; tagged with the commit.
 */
export function builtImage(naming: StackNaming, service: string, composeImage: string | undefined): string {
  const own = `${naming.stack}-${service.toLowerCase().replace(/[^a-z0-9._-]/g, '-')}`;
  const repository = naming.registry ? `${naming.registry}/${own}` : composeImage ? imageRepository(composeImage) : own;
  return `${repository}:${commitTag(naming.commit)}`;
}

/** The tag of a commit's images. */
export function commitTag(commit: string): string {
  return commit.slice(0, 12);
}

/** Reads the rendered Compose config, or says why it cannot be deployed as a stack. */
function parseConfig(config: string): { root: Yaml; services: Record<string, Yaml> } {
  const document = parseDocument(config);
  if (document.errors.length > 0) {
    throw new BerthError(`The rendered Compose config is not valid YAML: ${document.errors[0]?.message ?? ''}`);
  }
  const root = document.toJS() as unknown;
  if (!isObject(root) || !isObject(root.services) || Object.keys(root.services).length === 0) {
    throw new BerthError('The Compose file defines no services to deploy.', 'Check compose-files.');
  }
  const services: Record<string, Yaml> = {};
  for (const [name, service] of Object.entries(root.services)) services[name] = isObject(service) ? service : {};
  return { root, services };
}

/**
 * Compose v2 writes a few things the stack file format rejects: a top-level `name`, port
 * numbers as strings, `depends_on` as a map. Rewrites them as `docker stack deploy` reads them.
 */
function forStackDeploy(service: Yaml): Yaml {
  const result: Yaml = { ...service };
  delete result.build;
  if (isObject(result.depends_on)) result.depends_on = Object.keys(result.depends_on);
  if (Array.isArray(result.ports)) {
    result.ports = result.ports.map((port: unknown) => {
      if (!isObject(port)) return port;
      const fixed: Yaml = { ...port };
      for (const key of ['published', 'target']) {
        const value = fixed[key];
        if (typeof value === 'string' && /^\d+$/.test(value)) fixed[key] = Number(value);
      }
      return fixed;
    });
  }
  return result;
}

/** Makes the stack file (and the file to build from) out of `compose config` output. */
export function renderStack(config: string, naming: StackNaming): RenderedStack {
  const { root, services } = parseConfig(config);
  const built: Record<string, string> = {};
  const images: Record<string, string> = {};
  const missing: string[] = [];
  const buildServices: Record<string, Yaml> = {};
  const stackServices: Record<string, Yaml> = {};
  for (const [name, service] of Object.entries(services)) {
    const composeImage = typeof service.image === 'string' ? service.image : undefined;
    let image = composeImage;
    if (service.build !== undefined) {
      image = builtImage(naming, name, composeImage);
      built[name] = image;
    }
    buildServices[name] = image ? { ...service, image } : service;
    if (!image) missing.push(name);
    else images[name] = image;
    stackServices[name] = forStackDeploy({ ...service, ...(image ? { image } : {}) });
  }
  if (missing.length > 0) {
    throw new BerthError(`The services ${missing.join(', ')} have neither an image nor a build section.`, 'Give each service one.');
  }
  const top: Yaml = { ...root };
  delete top.name;
  const stackFile = stringify({ ...top, services: stackServices });
  const buildFile = Object.keys(built).length > 0 ? stringify({ ...top, services: buildServices }) : undefined;
  return { stackFile, buildFile, built, images };
}
