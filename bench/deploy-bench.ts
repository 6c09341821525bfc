/**
 * berth's deploy against the workflow teams write by hand, in the same process and run: ssh, then
 * `git pull; docker-compose down; docker-compose build --no-cache; docker-compose up -d; docker image prune -f`.
 * Both ship the same kind of change (a page edit) to identical copies of one app; berth's steps are timed
 * one by one, so each round shows where its time went.
 */
import type { StepRecord } from '../core/release/release.js';
import { connectSsh } from '../core/ssh/ssh-connection.js';
import type { RunningTestbed } from '../test/bed/start-testbed.js';
import { bedSettings } from '../test/helpers/ssh.js';
import { type BenchApp, benchPair, EXAMPLE_APP, RECREATE, type Strategy } from './bench-apps.js';
import { HAND_DEPLOY, handWritten, timed } from './hand-written.js';
import { ratioStats, stats } from './stats.js';

export interface DeployRound {
  readonly berthMs: number;
  readonly berthFailedProbes: number;
  readonly handMs: number;
  readonly handFailedProbes: number;
  readonly probesPerDeploy: { berth: number; hand: number };
  /** berth's steps in the order they ran, ms each; `other` is the time outside them (recording the release, keeping images). */
  readonly berthSteps: Readonly<Record<string, number>>;
}

/** Each step's time (a step run twice counts twice), and the wall time no step accounts for as `other`. */
export function stepTimes(steps: readonly StepRecord[], wallMs: number): Record<string, number> {
  const times: Record<string, number> = {};
  for (const step of steps) times[step.name] = (times[step.name] ?? 0) + step.durationMs;
  const inSteps = Object.values(times).reduce((sum, ms) => sum + ms, 0);
  times.other = Math.max(0, wallMs - inSteps);
  return times;
}

/** `connect 0.05 · lock 0.08 · …` in seconds. */
export function showSteps(times: Readonly<Record<string, number>>): string {
  return Object.entries(times)
    .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(2)}`)
    .join(' · ');
}

export async function deployBench(
  testbed: RunningTestbed,
  rounds: number,
  bench: BenchApp = EXAMPLE_APP,
  strategy: Strategy = RECREATE,
): Promise<DeployRound[]> {
  const admin = await connectSsh(bedSettings());
  const pair = await benchPair(admin, testbed, `deploy-${bench.name}-${strategy.name}-${process.pid}`, bench, strategy);
  try {
    // Both start from a running, healthy app.
    await pair.berthRun('deploy', 'main');
    await handWritten(testbed, HAND_DEPLOY, [pair.hand.repo.path]);
    const results: DeployRound[] = [];
    for (let round = 1; round <= rounds; round++) {
      const page = { 'www/index.html': `round ${round}\n` };
      const berthCommit = await pair.berth.repo.commit(page, `round ${round}`);
      await pair.hand.repo.commit(page, `round ${round}`);
      const berth = await timed(pair.berth.url, () => pair.berthRun('deploy', berthCommit));
      const hand = await timed(pair.hand.url, () => handWritten(testbed, HAND_DEPLOY, [pair.hand.repo.path]));
      const berthSteps = stepTimes(berth.value.steps, berth.ms);
      results.push({
        berthMs: berth.ms,
        berthFailedProbes: berth.failed,
        handMs: hand.ms,
        handFailedProbes: hand.failed,
        probesPerDeploy: { berth: berth.sent, hand: hand.sent },
        berthSteps,
      });
      console.error(
        `deploy ${bench.name}/${strategy.name} round ${round}: berth ${(berth.ms / 1000).toFixed(2)}s (${showSteps(berthSteps)}), ${berth.failed}/${berth.sent} probes failed; hand-written ${(hand.ms / 1000).toFixed(2)}s, ${hand.failed}/${hand.sent} failed`,
      );
    }
    return results;
  } finally {
    await pair.remove();
    await admin.close();
  }
}

/** The rounds' medians and spreads, each ratio taken within its round (both sides under that moment's load). */
export function deploySummary(rounds: readonly DeployRound[]) {
  const berthFailed = rounds.reduce((sum, r) => sum + r.berthFailedProbes, 0);
  const handFailed = rounds.reduce((sum, r) => sum + r.handFailedProbes, 0);
  const stepNames = [...new Set(rounds.flatMap((r) => Object.keys(r.berthSteps)))];
  return {
    rounds: rounds.length,
    berthSeconds: stats(rounds.map((r) => r.berthMs)),
    handWrittenSeconds: stats(rounds.map((r) => r.handMs)),
    roundRatios: ratioStats(rounds.map((r) => r.berthMs / r.handMs)),
    /** Each of berth's steps: median and spread over the rounds, in seconds. */
    berthStepSeconds: Object.fromEntries(stepNames.map((name) => [name, stats(rounds.map((r) => r.berthSteps[name] ?? 0))])),
    berthFailedProbes: berthFailed,
    handWrittenFailedProbes: handFailed,
    failedProbeRatio: handFailed === 0 ? null : +(berthFailed / handFailed).toFixed(2),
    rawRounds: rounds,
  };
}
