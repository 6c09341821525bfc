/** Each host of the `host` list as a HostTarget: the inputs' connection, app and health check, with what its line overrides. */
import type { SshSettings } from '../ssh/ssh-settings.js';
import { type HostLine, hostLabel } from './host-list.js';
import type { AppSettings, HealthSettings, HostTarget, Settings } from './settings.js';

/** What every host shares unless its line says otherwise; the user and path may come from the lines alone. */
export interface SharedHostSettings {
  readonly ssh: Omit<SshSettings, 'host' | 'port' | 'username'> & { readonly username: string | undefined };
  readonly app: Omit<AppSettings, 'path'> & { readonly path: string | undefined };
  readonly health: HealthSettings;
}

/** One target per host line, in their order; a line whose host still lacks a user or path (already a problem) is left out. */
export function hostTargets(lines: readonly HostLine[], shared: SharedHostSettings): HostTarget[] {
  const targets: HostTarget[] = [];
  for (const { host, port, overrides } of lines) {
    const username = overrides.username ?? shared.ssh.username;
    const path = overrides.path ?? shared.app.path;
    if (!username || !path) continue;
    targets.push({
      label: hostLabel(host, port),
      ssh: { ...shared.ssh, host, port, username },
      app: { ...shared.app, path, projectName: overrides.projectName ?? shared.app.projectName },
      health: { ...shared.health, url: overrides.healthUrl ?? shared.health.url },
    });
  }
  return targets;
}

/** The run's settings for one of its hosts: what a run on that host alone would have. */
export function settingsOn(settings: Settings, target: HostTarget): Settings {
  return { ...settings, ssh: target.ssh, app: target.app, health: target.health, hosts: [target] };
}
