/**
 * `npm run bench [-- deploy rollback switch readiness backup checks alerts webhooks fleet]`: each benchmark against its baseline in the
 * same process; prints ratios, writes bench-results.json. With names, only those run.
 */
import { writeFileSync } from 'node:fs';
import { startTestbed } from '../test/bed/start-testbed.js';
import { alertsSummary } from './alerts-bench.js';
import { backupBench } from './backup-bench.js';
import { checksBench } from './checks-bench.js';
import { type BenchApp, BLUE_GREEN, BOOTING_APP, EXAMPLE_APP, RECREATE, type Strategy } from './bench-apps.js';
import { deployBench } from './deploy-bench.js';
import { type FleetRound, fleetBench } from './fleet-bench.js';
import { pairSummary, showStepSpreads } from './pair-round.js';
import { readinessBench } from './readiness-bench.js';
import { rollbackBench } from './rollback-bench.js';
import { switchBench } from './switch-bench.js';
import { median, ratioStats, showSpread, stats } from './stats.js';
import { webhooksSummary } from './webhook-bench.js';

const BENCHMARKS = ['deploy', 'rollback', 'switch', 'readiness', 'backup', 'checks', 'alerts', 'webhooks', 'fleet'] as const;

async function runDeploy(testbed: Awaited<ReturnType<typeof startTestbed>>, rounds: number, bench: BenchApp, strategy: Strategy) {
  const summary = pairSummary(await deployBench(testbed, rounds, bench, strategy));
  console.log(
    `deploy, ${bench.title}, ${strategy.name}, ${rounds} rounds: berth ${showSpread(summary.berthSeconds, 's')} vs hand-written ${showSpread(summary.handWrittenSeconds, 's')} → ${showSpread(summary.roundRatios, '×')} the time (target ≤ 0.45×); failed 20 Hz probes ${summary.berthFailedProbes}/${summary.berthProbesSent} vs ${summary.handWrittenFailedProbes}/${summary.handWrittenProbesSent} → ${summary.failedProbeRatio}× (sent again on a fresh connection, then answered: ${summary.berthProbesRetried} vs ${summary.handWrittenProbesRetried})\n  berth's steps (median, min–max): ${showStepSpreads(summary.berthStepSeconds)}`,
  );
  return summary;
}

async function runRollback(testbed: Awaited<ReturnType<typeof startTestbed>>, rounds: number, bench: BenchApp, strategy: Strategy) {
  const summary = { appStartSeconds: bench.startSeconds, ...pairSummary(await rollbackBench(testbed, rounds, bench, strategy)) };
  console.log(
    `rollback to the previous release, ${bench.title}, ${strategy.name}, ${rounds} rounds: berth ${showSpread(summary.berthSeconds, 's')} (target ≤ 1.5 s + the app's ${bench.startSeconds} s start) vs hand-written ${showSpread(summary.handWrittenSeconds, 's')} → ${showSpread(summary.roundRatios, '×')} the time; failed 20 Hz probes ${summary.berthFailedProbes}/${summary.berthProbesSent} vs ${summary.handWrittenFailedProbes}/${summary.handWrittenProbesSent} → ${summary.failedProbeRatio}× (sent again on a fresh connection, then answered: ${summary.berthProbesRetried} vs ${summary.handWrittenProbesRetried})\n  berth's steps (median, min–max): ${showStepSpreads(summary.berthStepSeconds)}`,
  );
  return summary;
}

async function runSwitch(testbed: Awaited<ReturnType<typeof startTestbed>>, rounds: number) {
  const results = await switchBench(testbed, rounds, BOOTING_APP);
  const summary = {
    rounds,
    completed: results.filter((r) => r.completed).length,
    inFlightAcrossTheSwitch: results.filter((r) => r.spannedSwitch).length,
    slowRequestSeconds: stats(results.map((r) => r.slowMs)),
    failedProbes: results.reduce((sum, r) => sum + r.failedProbes, 0),
    probesRetried: results.reduce((sum, r) => sum + r.probesRetried, 0),
    rawRounds: results,
  };
  console.log(
    `a 2 s request in flight across the blue-green switch, ${BOOTING_APP.title}, ${rounds} deploys: ${summary.completed}/${rounds} completed (target: all), ${summary.inFlightAcrossTheSwitch}/${rounds} taken by the old colour and ended after the switch, in ${showSpread(summary.slowRequestSeconds, 's')}; failed 20 Hz probes ${summary.failedProbes} (sent again on a fresh connection, then answered: ${summary.probesRetried})`,
  );
  return summary;
}

async function runReadiness(testbed: Awaited<ReturnType<typeof startTestbed>>, rounds: number) {
  const results = await readinessBench(testbed, rounds);
  const of = (interval: string) => results.filter((r) => r.interval === interval);
  const slow = of('30s');
  const fast = of('1s');
  const summary = {
    rounds,
    interval30s: { readinessLagSeconds: stats(slow.map((r) => r.lagMs)), deploySeconds: stats(slow.map((r) => r.deployMs)) },
    interval1s: { readinessLagSeconds: stats(fast.map((r) => r.lagMs)), deploySeconds: stats(fast.map((r) => r.deployMs)) },
    deployTimeRatio30sTo1s: +(median(slow.map((r) => r.deployMs)) / median(fast.map((r) => r.deployMs))).toFixed(2),
    dockerSaidWhenDeclared: [...new Set(slow.map((r) => r.dockerHealth))],
    rawRounds: results,
  };
  const lag = summary.interval30s.readinessLagSeconds;
  console.log(
    `readiness with a 30 s healthcheck interval: declared ${lag.median}s after the app answered (median; min ${lag.min}s, max ${lag.max}s; target ≤ 0.5 s); deploy ${summary.interval30s.deploySeconds.median}s vs ${summary.interval1s.deploySeconds.median}s with 1 s → ${summary.deployTimeRatio30sTo1s}×; Docker said ${summary.dockerSaidWhenDeclared.join('/')} when berth declared it ready`,
  );
  return summary;
}

async function runBackup() {
  const backups = await backupBench(Number(process.env.BENCH_DB_MB ?? 1024), Number(process.env.BENCH_BACKUP_ROUNDS ?? 5));
  // Each round's ratio (both under the same load of the machine), then their median and spread.
  const ratios = backups.rounds.map((r) => r.serverMs / r.shellMs);
  const summary = {
    databaseMb: backups.databaseMb,
    rounds: backups.rounds.length,
    serverSeconds: stats(backups.rounds.map((r) => r.serverMs)),
    shellSeconds: stats(backups.rounds.map((r) => r.shellMs)),
    timeRatio: ratioStats(ratios),
    serverCpuMedianSeconds: +median(backups.rounds.map((r) => r.serverCpuSeconds)).toFixed(2),
    shellCpuMedianSeconds: +median(backups.rounds.map((r) => r.shellCpuSeconds)).toFixed(2),
    serverPeakRssMb: Math.max(...backups.rounds.map((r) => r.serverPeakRssMb)),
    rawRounds: backups.rounds,
  };
  console.log(
    `backup of a ${summary.databaseMb} MB database, ${summary.rounds} rounds: server ${summary.serverSeconds.median}s vs pg_dump | gzip ${summary.shellSeconds.median}s → median ${summary.timeRatio.median}× (rounds ${summary.timeRatio.min}–${summary.timeRatio.max}×; target ≤ 1.1×); CPU (with pg_dump) server ${summary.serverCpuMedianSeconds}s vs shell ${summary.shellCpuMedianSeconds}s; server peak RSS ${summary.serverPeakRssMb} MB (target < 150 MB)`,
  );
  return summary;
}

async function runChecks() {
  const result = await checksBench(Number(process.env.BENCH_CHECKS ?? 200), 2);
  const complete = result.ticks.filter((t) => t.results === result.checks);
  const worst = Math.max(...complete.map((t) => t.lastDoneSeconds));
  const summary = {
    ...result,
    completeTicks: complete.length,
    worstTickSeconds: +worst.toFixed(2),
    tickRatio: +(worst / result.intervalSeconds).toFixed(2),
  };
  console.log(
    `checks: ${result.checks} due on the same tick, ${complete.length} full ticks: the last finished ${summary.worstTickSeconds}s after the tick → ${summary.tickRatio}× the ${result.intervalSeconds}s interval (target < 1×); server RSS ${result.rssMb} MB, peak ${result.peakRssMb} MB (target < 150 MB)`,
  );
  return summary;
}

async function runFleet(testbed: Awaited<ReturnType<typeof startTestbed>>, rounds: number, bootSeconds: number) {
  const results = await fleetBench(testbed, rounds, bootSeconds);
  /** Each round's ratio of two variants (both under that round's load), then their median and spread. */
  const ratio = (of: keyof FleetRound, to: keyof FleetRound) => ratioStats(results.map((r) => r[of] / r[to]));
  const summary = {
    rounds,
    hosts: 3,
    appBootSeconds: bootSeconds,
    oneHostSeconds: stats(results.map((r) => r.oneHostMs)),
    sequentialSeconds: stats(results.map((r) => r.sequentialMs)),
    concurrentSeconds: stats(results.map((r) => r.concurrentMs)),
    parallel1Seconds: stats(results.map((r) => r.parallel1Ms)),
    parallel3Seconds: stats(results.map((r) => r.parallel3Ms)),
    parallel1ToSequential: ratio('parallel1Ms', 'sequentialMs'),
    parallel3ToSequential: ratio('parallel3Ms', 'sequentialMs'),
    parallel3ToConcurrent: ratio('parallel3Ms', 'concurrentMs'),
    parallel3ToOneHost: ratio('parallel3Ms', 'oneHostMs'),
    concurrentToOneHost: ratio('concurrentMs', 'oneHostMs'),
    rawRounds: results,
  };
  const x = (r: { median: number; min: number; max: number }) => `${r.median}× (${r.min}–${r.max}×)`;
  console.log(
    `fleet of 3 hosts, the app booting ${bootSeconds}s (medians): one host ${summary.oneHostSeconds.median}s; three single-host deploys in a row ${summary.sequentialSeconds.median}s, at once ${summary.concurrentSeconds.median}s; parallel 1 ${summary.parallel1Seconds.median}s → ${x(summary.parallel1ToSequential)} the three in a row; parallel 3 ${summary.parallel3Seconds.median}s → ${x(summary.parallel3ToSequential)} the three in a row, ${x(summary.parallel3ToConcurrent)} the three at once, ${x(summary.parallel3ToOneHost)} one host (three at once uncoordinated: ${x(summary.concurrentToOneHost)} one host)`,
  );
  return summary;
}

async function main(): Promise<void> {
  const names = process.argv.slice(2);
  const unknown = names.filter((name) => !(BENCHMARKS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}; choose from ${BENCHMARKS.join(', ')}`);
  const wanted = (name: (typeof BENCHMARKS)[number]) => names.length === 0 || names.includes(name);
  const testbed = await startTestbed();
  try {
    const summary: Record<string, unknown> = {};
    const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
    // The target for blue-green: no failed request over 10 deploys.
    const blueGreenRounds = Number(process.env.BENCH_BLUE_GREEN_ROUNDS ?? 10);
    // BENCH_STRATEGY=recreate or blue-green: only that strategy's deploy and rollback rounds.
    const strategies = [RECREATE, BLUE_GREEN].filter((s) => !process.env.BENCH_STRATEGY || s.name === process.env.BENCH_STRATEGY);
    const roundsOf = (strategy: Strategy) => (strategy === BLUE_GREEN ? blueGreenRounds : rounds);
    const key = (what: string, app: BenchApp, strategy: Strategy) =>
      `${what}${app === BOOTING_APP ? 'Booting' : ''}${strategy === BLUE_GREEN ? 'BlueGreen' : ''}`;
    if (wanted('deploy')) {
      for (const strategy of strategies) {
        for (const app of [EXAMPLE_APP, BOOTING_APP])
          summary[key('deploy', app, strategy)] = await runDeploy(testbed, roundsOf(strategy), app, strategy);
      }
    }
    if (wanted('rollback')) {
      for (const strategy of strategies) {
        for (const app of [BOOTING_APP, EXAMPLE_APP])
          summary[key('rollback', app, strategy)] = await runRollback(testbed, rounds, app, strategy);
      }
    }
    if (wanted('switch')) summary.switch = await runSwitch(testbed, rounds);
    if (wanted('readiness')) summary.readiness = await runReadiness(testbed, Number(process.env.BENCH_READY_ROUNDS ?? 5));
    if (wanted('backup')) summary.backup = await runBackup();
    if (wanted('checks')) summary.checks = await runChecks();
    if (wanted('alerts')) summary.alerts = await alertsSummary();
    if (wanted('webhooks')) summary.webhooks = await webhooksSummary();
    if (wanted('fleet')) {
      const rounds = Number(process.env.BENCH_FLEET_ROUNDS ?? 5);
      summary.fleet = await runFleet(testbed, rounds, 0);
      summary.fleetBooting = await runFleet(testbed, rounds, 2);
    }
    writeFileSync('bench-results.json', `${JSON.stringify(summary, null, 2)}\n`);
    console.error(JSON.stringify(summary, null, 2));
  } finally {
    testbed.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
