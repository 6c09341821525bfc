/**
 * Compose v1 links a one-off container (`run`) to its service's running containers, and Docker refuses
 * links with host networking (or another container's, or none): `run` of a running host-networked
 * service fails (docker/compose#4548; v2 adds no such links). So under v1 berth runs the one-off
 * container as a copy of the service under another name, from the project's rendered config: the same
 * image, environment, volumes and network, and no running containers of its own to link to. Pure.
 */
import { parse, stringify } from 'yaml';

/** The copy's name: `<service>-berth-oneoff`. */
export const ONE_OFF_SUFFIX = '-berth-oneoff';

type RawService = Record<string, unknown> & { network_mode?: unknown; image?: unknown };
interface RawConfig {
  services?: Record<string, RawService | null>;
}

/** Whether Docker refuses links for the service's network (`host`, `none`, `container:…`, `service:…`). */
export function refusesLinks(rendered: string, service: string): boolean {
  const mode = ((parse(rendered) ?? {}) as RawConfig).services?.[service]?.network_mode;
  return typeof mode === 'string' && mode !== 'bridge' && mode !== '';
}

/**
 * The rendered config with a copy of `service` added: its image by name (v1 names a built image
 * `<project>_<service>` unless `image` names it), never built, no fixed container name. Every other
 * service stays, so the copy's dependencies start as the service's would and none is an orphan.
 */
export function withOneOffCopy(rendered: string, service: string, project: string): { readonly yaml: string; readonly service: string } {
  const config = (parse(rendered) ?? {}) as RawConfig;
  const original = config.services?.[service];
  if (!original) throw new Error(`the rendered config has no service ${service}`);
  const kept = Object.fromEntries(Object.entries(original).filter(([key]) => key !== 'build' && key !== 'container_name'));
  const image = typeof original.image === 'string' ? original.image : `${project.replace(/^[_-]+/, '')}_${service}`;
  const copy = `${service}${ONE_OFF_SUFFIX}`;
  const services = { ...config.services, [copy]: { ...kept, image } };
  // Written out in full, not as YAML aliases of the service's own entries.
  return { yaml: stringify({ ...config, services }, { aliasDuplicateObjects: false }), service: copy };
}
