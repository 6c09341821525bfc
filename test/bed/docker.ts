/** Reuses a running Docker engine or starts one (no bridge, no iptables: containers use host networking). */
import { spawn, spawnSync } from 'node:child_process';
import { openSync } from 'node:fs';
import { waitFor, which } from './system.js';

function engineAnswers(): boolean {
  return spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'ignore' }).status === 0;
}

/** Returns a function that stops the engine if this call started it. */
export async function ensureDockerEngine(logFile: string): Promise<() => void> {
  if (engineAnswers()) return () => {};
  const dockerd = which('dockerd');
  if (!dockerd) throw new Error('dockerd not found: apt-get install -y docker.io docker-compose');
  const log = openSync(logFile, 'a');
  const child = spawn(dockerd, ['--bridge=none', '--iptables=false'], { stdio: ['ignore', log, log], detached: true });
  child.unref();
  await waitFor('the Docker engine', engineAnswers, 60_000).catch((error) => {
    throw new Error(`${error.message}; see ${logFile}`);
  });
  return () => {
    try {
      process.kill(child.pid ?? 0, 'SIGTERM');
    } catch {
      // already gone
    }
  };
}
