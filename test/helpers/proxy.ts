/** Clean-up of berth's proxy after tests and benchmarks of strategy blue-green. */
import type { Executor } from '../../core/exec/executor.js';
import { PROXY_CONTAINER } from '../../core/commands/proxy.js';
import { CaddyAdmin } from '../../core/proxy/caddy-admin.js';
import { serverName } from '../../core/proxy/caddy-config.js';

/**
 * Removes the Compose project's server from berth's proxy, and the proxy (with its volumes) once it serves
 * no app: it is shared by every blue-green app on the machine, other test runs' included.
 */
export async function removeProxyServer(admin: Executor, project: string): Promise<void> {
  const caddy = new CaddyAdmin(admin);
  await caddy.send('DELETE', `/config/apps/http/servers/${serverName(project)}`).catch(() => undefined);
  // A read that fails says nothing about other apps: the proxy then stays.
  const left = await caddy.read('/config/apps/http/servers').catch(() => undefined);
  if (left && Object.keys(left.value ?? {}).length === 0) {
    await admin.run(['docker', 'rm', '--force', PROXY_CONTAINER]);
    // Its volumes too: their autosave would bring a server back listening on a port another may hold by then.
    await admin.run(['docker', 'volume', 'rm', 'berth-proxy-config', 'berth-proxy-data']);
  }
}
