/**
 * berth's deploy against the workflow teams write by hand, in the same process and run:
 * ssh, then `git pull; docker-compose down; docker-compose build --no-cache; docker-compose up -d;
 * docker image prune -f`. Both ship the same kind of change (a page edit) to identical apps.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deploy } from '../core/engine/deploy.js';
import { silentReporter } from '../core/engine/reporter.js';
import { connectSsh, type SshConnection } from '../core/ssh/ssh-connection.js';
import type { RunningTestbed } from '../test/bed/start-testbed.js';
import { freePort } from '../test/bed/system.js';
import { type AppRepo, createAppRepo } from '../test/helpers/app-repo.js';
import { bedInputs, settingsFrom } from '../test/helpers/engine.js';
import { bedSettings } from '../test/helpers/ssh.js';
import { startProbe } from './probe.js';

export interface DeployRound {
  readonly berthMs: number;
  readonly berthFailedProbes: number;
  readonly handMs: number;
  readonly handFailedProbes: number;
  readonly probesPerDeploy: { berth: number; hand: number };
}

const HAND_WRITTEN =
  'cd "$1" && git pull && docker-compose down && docker-compose build --no-cache && docker-compose up -d && docker image prune -f';

/** The hand-written workflow, through the system ssh client as a workflow runs it. */
function handWritten(testbed: RunningTestbed, path: string): Promise<number> {
  const { bed } = testbed;
  const knownHosts = join(bed.dir, 'bench_known_hosts');
  writeFileSync(knownHosts, bed.sshd.knownHosts);
  const args = [
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${knownHosts}`,
    '-i',
    join(bed.dir, 'id_ed25519'),
    '-p',
    String(bed.sshd.port),
    `${bed.user}@127.0.0.1`,
    `sh -c '${HAND_WRITTEN}' hand '${path}'`,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) =>
      code === 0 ? resolve(0) : reject(new Error(`hand-written deploy failed (${code}): ${stderr.slice(-500)}`)),
    );
  });
}

async function timed<T>(url: string, fn: () => Promise<T>): Promise<{ ms: number; failed: number; sent: number; value: T }> {
  const probe = startProbe(url);
  const started = performance.now();
  const value = await fn();
  const ms = performance.now() - started;
  const counts = await probe.stop();
  return { ms, failed: counts.failed, sent: counts.sent, value };
}

export async function deployBench(testbed: RunningTestbed, rounds: number): Promise<DeployRound[]> {
  const admin: SshConnection = await connectSsh(bedSettings());
  const root = `${testbed.bed.home}/berth-bench`;
  const berthApp: AppRepo = await createAppRepo(admin, `${root}/berth`, await freePort(), { COMPOSE_PROJECT_NAME: 'berth-bench-berth' });
  const handApp: AppRepo = await createAppRepo(admin, `${root}/hand`, await freePort(), { COMPOSE_PROJECT_NAME: 'berth-bench-hand' });
  const inputs = bedInputs({ path: berthApp.path, 'health-url': `http://localhost:${berthApp.port}/health` });
  const berthDeploy = async (ref: string) => {
    const settings = settingsFrom({ ...inputs, ref });
    const outcome = await deploy(settings, {
      reporter: silentReporter,
      connect: () => connectSsh(settings.ssh),
      lint: async () => {},
      owner: 'bench',
    });
    if (outcome.status !== 'succeeded') throw new Error(`berth deploy ${outcome.status}: ${outcome.error}`);
  };
  try {
    // Both start from a running, healthy app.
    await berthDeploy('main');
    await handWritten(testbed, handApp.path);
    const results: DeployRound[] = [];
    for (let round = 1; round <= rounds; round++) {
      const page = { 'www/index.html': `round ${round}\n` };
      const berthCommit = await berthApp.commit(page, `round ${round}`);
      await handApp.commit(page, `round ${round}`);
      const berth = await timed(`http://127.0.0.1:${berthApp.port}/`, () => berthDeploy(berthCommit));
      const hand = await timed(`http://127.0.0.1:${handApp.port}/`, () => handWritten(testbed, handApp.path));
      results.push({
        berthMs: berth.ms,
        berthFailedProbes: berth.failed,
        handMs: hand.ms,
        handFailedProbes: hand.failed,
        probesPerDeploy: { berth: berth.sent, hand: hand.sent },
      });
      console.error(
        `round ${round}: berth ${(berth.ms / 1000).toFixed(2)}s, ${berth.failed}/${berth.sent} probes failed; hand-written ${(hand.ms / 1000).toFixed(2)}s, ${hand.failed}/${hand.sent} failed`,
      );
    }
    return results;
  } finally {
    for (const project of ['berth-bench-berth', 'berth-bench-hand']) {
      await admin.run(['docker-compose', '--project-name', project, 'down', '--rmi', 'local'], { cwd: berthApp.path });
    }
    await admin.close();
  }
}
