/** `npm run bench`: each benchmark against its baseline in the same process; prints ratios, writes bench-results.json. */
import { writeFileSync } from 'node:fs';
import { startTestbed } from '../test/bed/start-testbed.js';
import { backupBench } from './backup-bench.js';
import { deployBench } from './deploy-bench.js';

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

async function main(): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const testbed = await startTestbed();
  try {
    const deploys = await deployBench(testbed, rounds);
    const berthMs = median(deploys.map((r) => r.berthMs));
    const handMs = median(deploys.map((r) => r.handMs));
    const berthFailed = deploys.reduce((sum, r) => sum + r.berthFailedProbes, 0);
    const handFailed = deploys.reduce((sum, r) => sum + r.handFailedProbes, 0);
    const backups = await backupBench(Number(process.env.BENCH_DB_MB ?? 1024), Number(process.env.BENCH_BACKUP_ROUNDS ?? 2));
    const serverMs = median(backups.rounds.map((r) => r.serverMs));
    const shellMs = median(backups.rounds.map((r) => r.shellMs));
    const summary = {
      deploy: {
        rounds,
        berthMedianSeconds: +(berthMs / 1000).toFixed(2),
        handWrittenMedianSeconds: +(handMs / 1000).toFixed(2),
        timeRatio: +(berthMs / handMs).toFixed(2),
        berthFailedProbes: berthFailed,
        handWrittenFailedProbes: handFailed,
        failedProbeRatio: handFailed === 0 ? null : +(berthFailed / handFailed).toFixed(2),
        rawRounds: deploys,
      },
      backup: {
        databaseMb: backups.databaseMb,
        serverMedianSeconds: +(serverMs / 1000).toFixed(2),
        shellMedianSeconds: +(shellMs / 1000).toFixed(2),
        timeRatio: +(serverMs / shellMs).toFixed(2),
        serverPeakRssMb: Math.max(...backups.rounds.map((r) => r.serverPeakRssMb)),
        rawRounds: backups.rounds,
      },
    };
    console.log(JSON.stringify(summary, null, 2));
    console.log(
      `deploy: berth ${summary.deploy.berthMedianSeconds}s vs hand-written ${summary.deploy.handWrittenMedianSeconds}s → ${summary.deploy.timeRatio}× the time (target ≤ 0.5×); failed 20 Hz probes ${berthFailed} vs ${handFailed} → ${summary.deploy.failedProbeRatio}× (target ≤ 0.25×)`,
    );
    console.log(
      `backup of a ${summary.backup.databaseMb} MB database: server ${summary.backup.serverMedianSeconds}s vs pg_dump | gzip ${summary.backup.shellMedianSeconds}s → ${summary.backup.timeRatio}× (target ≤ 1.1×); server peak RSS ${summary.backup.serverPeakRssMb} MB (target < 150 MB)`,
    );
    writeFileSync('bench-results.json', `${JSON.stringify(summary, null, 2)}\n`);
  } finally {
    testbed.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
