/**
 * `npm run bench`: each benchmark against its baseline in the same process; prints ratios, writes bench-results.json.
 * BENCH_ONLY=deploy,backup,checks picks some; BENCH_ROUNDS, BENCH_DB_MB, BENCH_BACKUP_ROUNDS, BENCH_CHECKS size them.
 */
import { writeFileSync } from 'node:fs';
import { startTestbed } from '../test/bed/start-testbed.js';
import { backupBench } from './backup-bench.js';
import { checksBench } from './checks-bench.js';
import { deployBench } from './deploy-bench.js';

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const round2 = (n: number): number => +n.toFixed(2);

async function deploySummary(testbed: Awaited<ReturnType<typeof startTestbed>>) {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const deploys = await deployBench(testbed, rounds);
  const berthMs = median(deploys.map((r) => r.berthMs));
  const handMs = median(deploys.map((r) => r.handMs));
  const berthFailed = deploys.reduce((sum, r) => sum + r.berthFailedProbes, 0);
  const handFailed = deploys.reduce((sum, r) => sum + r.handFailedProbes, 0);
  const summary = {
    rounds,
    berthMedianSeconds: round2(berthMs / 1000),
    handWrittenMedianSeconds: round2(handMs / 1000),
    timeRatio: round2(berthMs / handMs),
    berthFailedProbes: berthFailed,
    handWrittenFailedProbes: handFailed,
    failedProbeRatio: handFailed === 0 ? null : round2(berthFailed / handFailed),
    rawRounds: deploys,
  };
  console.log(
    `deploy: berth ${summary.berthMedianSeconds}s vs hand-written ${summary.handWrittenMedianSeconds}s → ${summary.timeRatio}× the time (target ≤ 0.5×); failed 20 Hz probes ${berthFailed} vs ${handFailed} → ${summary.failedProbeRatio}× (target ≤ 0.25×)`,
  );
  return summary;
}

async function backupSummary() {
  const backups = await backupBench(Number(process.env.BENCH_DB_MB ?? 1024), Number(process.env.BENCH_BACKUP_ROUNDS ?? 5));
  const ratios = backups.rounds.map((r) => r.serverMs / r.shellMs);
  const summary = {
    databaseMb: backups.databaseMb,
    rounds: backups.rounds.length,
    serverMedianSeconds: round2(median(backups.rounds.map((r) => r.serverMs)) / 1000),
    shellMedianSeconds: round2(median(backups.rounds.map((r) => r.shellMs)) / 1000),
    // The ratio of each round (same load on the machine for both), then their median and spread.
    timeRatio: round2(median(ratios)),
    timeRatioMin: round2(Math.min(...ratios)),
    timeRatioMax: round2(Math.max(...ratios)),
    serverCpuMedianSeconds: round2(median(backups.rounds.map((r) => r.serverCpuSeconds))),
    shellCpuMedianSeconds: round2(median(backups.rounds.map((r) => r.shellCpuSeconds))),
    serverPeakRssMb: Math.max(...backups.rounds.map((r) => r.serverPeakRssMb)),
    rawRounds: backups.rounds,
  };
  console.log(
    `backup of a ${summary.databaseMb} MB database, ${summary.rounds} rounds: server ${summary.serverMedianSeconds}s vs pg_dump | gzip ${summary.shellMedianSeconds}s → median ${summary.timeRatio}× (rounds ${summary.timeRatioMin}–${summary.timeRatioMax}×; target ≤ 1.1×); CPU (with pg_dump) server ${summary.serverCpuMedianSeconds}s vs shell ${summary.shellCpuMedianSeconds}s; server peak RSS ${summary.serverPeakRssMb} MB (target < 150 MB)`,
  );
  return summary;
}

async function checksSummary() {
  const result = await checksBench(Number(process.env.BENCH_CHECKS ?? 200), 2);
  const complete = result.ticks.filter((t) => t.results === result.checks);
  const worst = Math.max(...complete.map((t) => t.lastDoneSeconds));
  const summary = {
    ...result,
    completeTicks: complete.length,
    worstTickSeconds: round2(worst),
    tickRatio: round2(worst / result.intervalSeconds),
  };
  console.log(
    `checks: ${result.checks} due on the same tick, ${complete.length} full ticks: the last finished ${summary.worstTickSeconds}s after the tick → ${summary.tickRatio}× the ${result.intervalSeconds}s interval (target < 1×); server RSS ${result.rssMb} MB, peak ${result.peakRssMb} MB (target < 150 MB)`,
  );
  return summary;
}

async function main(): Promise<void> {
  const only = new Set((process.env.BENCH_ONLY ?? 'deploy,backup,checks').split(','));
  const testbed = await startTestbed();
  try {
    const summary = {
      ...(only.has('deploy') ? { deploy: await deploySummary(testbed) } : {}),
      ...(only.has('backup') ? { backup: await backupSummary() } : {}),
      ...(only.has('checks') ? { checks: await checksSummary() } : {}),
    };
    writeFileSync('bench-results.json', `${JSON.stringify(summary, null, 2)}\n`);
  } finally {
    testbed.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
