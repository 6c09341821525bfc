/** Command lines for berth's proxy container and the server's listening ports. Pure: argument lists only. */

/** The one proxy container per server, shared by every blue-green app on it (each app is one Caddy server). */
export const PROXY_CONTAINER = 'berth-proxy';
/** Where its config (autosave.json, restored by `--resume` after a reboot) and certificates live. */
const PROXY_VOLUMES = ['berth-proxy-config:/config', 'berth-proxy-data:/data'];

export const proxyCommands = {
  /**
   * Starts Caddy on the host network (it reaches host-networked colours on 127.0.0.1 and bridge ones by
   * their address), restarted by Docker after a crash or a reboot, resuming the last config it had.
   */
  run: (image: string): string[] => [
    'docker',
    'run',
    '--detach',
    '--name',
    PROXY_CONTAINER,
    '--network',
    'host',
    '--restart',
    'unless-stopped',
    '--env',
    'XDG_CONFIG_HOME=/config',
    '--env',
    'XDG_DATA_HOME=/data',
    ...PROXY_VOLUMES.flatMap((volume) => ['--volume', volume]),
    '--label',
    'berth.proxy=caddy',
    image,
    'caddy',
    'run',
    '--resume',
  ],
  /** `running caddy:2.6`, or a failure when there is no such container. */
  state: (): string[] => ['docker', 'inspect', '--type', 'container', '--format', '{{.State.Status}} {{.Config.Image}}', PROXY_CONTAINER],
  start: (): string[] => ['docker', 'start', PROXY_CONTAINER],
  logs: (lines: number): string[] => ['docker', 'logs', '--tail', String(lines), PROXY_CONTAINER],
};

export const portCommands = {
  /**
   * The kernel's TCP sockets, IPv4 and IPv6 (no `ss` or `netstat` needed): listening ones have state 0A.
   * A kernel booted with `ipv6.disable=1` has no /proc/net/tcp6: then the IPv4 ones alone.
   */
  sockets: (): string[] => [
    'sh',
    '-c',
    'cat -- "$1" && { cat -- "$2" 2>/dev/null || true; }',
    'berth-sockets',
    '/proc/net/tcp',
    '/proc/net/tcp6',
  ],
};

export const containerCommands = {
  /** Stops a container, giving it `graceSeconds` after SIGTERM, then removes it. */
  stop: (id: string, graceSeconds: number): string[] => ['docker', 'stop', '--time', String(graceSeconds), id],
  remove: (id: string): string[] => ['docker', 'rm', '--force', id],
  /** Starts a created (or stopped) container. */
  start: (id: string): string[] => ['docker', 'start', id],
  /** Each network's address of the container, one per line. */
  addresses: (id: string): string[] => [
    'docker',
    'inspect',
    '--format',
    '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{"\\n"}}{{end}}',
    id,
  ],
};

/** The TCP ports something listens on, from /proc/net/tcp and tcp6 text. */
export function listeningPorts(procNetTcp: string): Set<number> {
  const ports = new Set<number>();
  for (const line of procNetTcp.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const [, local, , state] = fields;
    if (state !== '0A' || !local) continue;
    const port = parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
    if (Number.isInteger(port)) ports.add(port);
  }
  return ports;
}
