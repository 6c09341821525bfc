/** This server process among others on shared storage: `host:pid`. */
import { hostname } from 'node:os';

export const SERVER_ID = `${hostname()}:${process.pid}`;

/**
 * Whether the server that wrote `id` is gone: a process of this host that no longer exists.
 * A server on another host is never judged from here; it cleans up after itself when it restarts.
 */
export function serverGone(id: string | null): boolean {
  if (!id) return true;
  const [host, pid] = [id.slice(0, id.lastIndexOf(':')), Number(id.slice(id.lastIndexOf(':') + 1))];
  if (host !== hostname()) return false;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
