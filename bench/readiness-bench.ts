/**
 * How soon berth sees an app ready, whatever its healthcheck interval. The example app boots
 * for 2 s before it serves; its Docker healthcheck runs every 30 s (Docker's first run is
 * 30 s after start) or, as the baseline in the same run, every second. A 50 Hz probe on the
 * runner notes when the new version first answers its health URL; berth's "Healthy" line
 * notes when berth declared it ready. Readiness lag = declared − first answer.
 */
import { deploy } from '../core/engine/deploy.js';
import type { Reporter } from '../core/engine/reporter.js';
import { silentLogger } from '../core/log.js';
import { connectSsh, type SshConnection } from '../core/ssh/ssh-connection.js';
import type { RunningTestbed } from '../test/bed/start-testbed.js';
import { freePort } from '../test/bed/system.js';
import { createAppRepo } from '../test/helpers/app-repo.js';
import { bedInputs, settingsFrom } from '../test/helpers/engine.js';
import { bedSettings } from '../test/helpers/ssh.js';
import { bootingComposeFile } from './booting-app.js';

export interface ReadinessRound {
  readonly interval: string;
  /** From the app's first good answer to berth declaring it healthy. */
  readonly lagMs: number;
  /** The whole deploy, connect to release record. */
  readonly deployMs: number;
  /** Docker's own verdict when berth declared the app ready. */
  readonly dockerHealth: string;
}

const BOOT_SECONDS = 2;

/** Polls the health URL every 20 ms until it answers `expected`; resolves with the send time of that request. */
function firstAnswer(url: string, expected: string): { at: Promise<number>; stop(): void } {
  let stopped = false;
  const at = (async () => {
    while (!stopped) {
      const sent = performance.now();
      const body = await fetch(url, { signal: AbortSignal.timeout(500) })
        .then(async (response) => (response.ok ? (await response.text()).trim() : ''))
        .catch(() => '');
      if (body === expected) return sent;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 20 - (performance.now() - sent))));
    }
    return NaN;
  })();
  return { at, stop: () => (stopped = true) };
}

/** A reporter that notes when berth declared the app healthy. */
function timingReporter(): Reporter & { healthyAt: number | undefined } {
  const reporter = {
    healthyAt: undefined as number | undefined,
    logger: {
      ...silentLogger,
      info: (message: string) => {
        if (message.startsWith('Healthy after')) reporter.healthyAt = performance.now();
      },
    },
    group: <T>(_title: string, fn: () => Promise<T>) => fn(),
    output: () => {},
  };
  return reporter;
}

async function round(admin: SshConnection, app: Awaited<ReturnType<typeof createAppRepo>>, project: string, interval: string, n: number) {
  const marker = `round ${n} (${interval})`;
  const commit = await app.commit(
    { 'docker-compose.yml': bootingComposeFile(BOOT_SECONDS, interval), 'www/health': `${marker}\n` },
    marker,
  );
  const settings = settingsFrom(
    bedInputs({ path: app.path, 'project-name': project, 'health-url': `http://localhost:${app.port}/health`, ref: commit }),
  );
  const reporter = timingReporter();
  const probe = firstAnswer(`http://127.0.0.1:${app.port}/health`, marker);
  const started = performance.now();
  const outcome = await deploy(settings, { reporter, connect: () => connectSsh(settings.ssh), lint: async () => {}, owner: 'bench' });
  const deployMs = performance.now() - started;
  const dockerHealth = (
    await admin.run([
      'sh',
      '-c',
      'docker inspect --format "{{.State.Health.Status}}" $(docker ps -q --filter "label=com.docker.compose.project=$1")',
      'h',
      project,
    ])
  ).stdout.trim();
  probe.stop();
  const readyAt = await probe.at;
  if (outcome.status !== 'succeeded' || reporter.healthyAt === undefined)
    throw new Error(`readiness bench deploy ${outcome.status}: ${outcome.error}`);
  return { interval, lagMs: reporter.healthyAt - readyAt, deployMs, dockerHealth };
}

export async function readinessBench(testbed: RunningTestbed, rounds: number): Promise<ReadinessRound[]> {
  const admin = await connectSsh(bedSettings());
  const project = 'berth-bench-ready';
  const app = await createAppRepo(admin, `${testbed.bed.home}/berth-bench/ready`, await freePort());
  const results: ReadinessRound[] = [];
  try {
    // A first deploy builds the image; the rounds then ship a change, as a push does.
    await round(admin, app, project, '1s', 0);
    for (let n = 1; n <= rounds; n++) {
      for (const interval of ['30s', '1s']) {
        const result = await round(admin, app, project, interval, n);
        results.push(result);
        console.error(
          `readiness ${n} (interval ${interval}): ready → declared ${result.lagMs.toFixed(0)} ms, deploy ${(result.deployMs / 1000).toFixed(2)}s, Docker said ${result.dockerHealth}`,
        );
      }
    }
    return results;
  } finally {
    await admin.run(['docker-compose', '--project-name', project, 'down', '--rmi', 'local'], { cwd: app.path });
    await admin.close();
  }
}
