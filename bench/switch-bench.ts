/**
 * A request in flight while blue-green switches: each round ships a change with berth, and as the
 * `switch` step begins a 2 s request goes to the public port; the switch waits until the proxy counts
 * it in flight to the old colour. The request must complete (200), answered by the old colour, after
 * the switch.
 */
import type { Reporter } from '../core/engine/reporter.js';
import type { Executor } from '../core/exec/executor.js';
import { CaddyAdmin } from '../core/proxy/caddy-admin.js';
import { inFlight, liveUpstream, type RawConfig, serverName } from '../core/proxy/caddy-config.js';
import type { RunningTestbed } from '../test/bed/start-testbed.js';
import { type BenchApp, BLUE_GREEN, BOOTING_APP, SLOW_PATH, withBenchPair } from './bench-apps.js';
import { startProbe } from './probe.js';

export interface SwitchRound {
  /** The slow request's status and body, or the error it failed with. */
  readonly answer: string;
  readonly completed: boolean;
  /** The old colour took it, and it ended after the switch: it was in flight across it. */
  readonly spannedSwitch: boolean;
  readonly slowMs: number;
  readonly failedProbes: number;
  /** Sent again on a fresh connection after a kept-alive one closed under them (see probe.ts), then answered. */
  readonly probesRetried: number;
  readonly probesSent: number;
}

/** How long the switch waits for the proxy to count the slow request in flight. */
const IN_FLIGHT_WAIT_MS = 2000;

/** Polls the proxy's upstreams until `upstream` has a request in flight, or IN_FLIGHT_WAIT_MS passed. */
async function untilInFlight(caddy: CaddyAdmin, upstream: string): Promise<void> {
  const deadline = performance.now() + IN_FLIGHT_WAIT_MS;
  while (performance.now() < deadline) {
    if (inFlight((await caddy.read('/reverse_proxy/upstreams')).value, upstream) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A reporter that, as the `switch` step begins, sends the slow request and holds the switch until the proxy has it. */
function switchWatcher(admin: Executor, url: string, oldUpstream: string) {
  const caddy = new CaddyAdmin(admin);
  const watch: { slow?: Promise<{ answer: string; ok: boolean; endedAt: number; startedAt: number }>; switchedAt?: number } = {};
  const reporter: Reporter = {
    logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    output: () => {},
    group: async (title, fn) => {
      if (!title.startsWith('Switch the proxy')) return fn();
      const startedAt = performance.now();
      watch.slow = fetch(url, { signal: AbortSignal.timeout(10_000) })
        .then(async (r) => ({ answer: `${r.status} ${(await r.text()).trim()}`, ok: r.ok }))
        .catch((error: unknown) => ({ answer: String(error), ok: false }))
        .then((result) => ({ ...result, startedAt, endedAt: performance.now() }));
      await untilInFlight(caddy, oldUpstream);
      const value = await fn();
      watch.switchedAt = performance.now();
      return value;
    },
  };
  return { reporter, watch };
}

export function switchBench(testbed: RunningTestbed, rounds: number, bench: BenchApp = BOOTING_APP): Promise<SwitchRound[]> {
  return withBenchPair(testbed, 'switch', bench, BLUE_GREEN, { hand: false }, async (pair, admin) => {
    const caddy = new CaddyAdmin(admin);
    const results: SwitchRound[] = [];
    for (let round = 1; round <= rounds; round++) {
      const commit = await pair.berth.repo.commit({ 'www/index.html': `switch round ${round}\n` }, `switch round ${round}`);
      const oldUpstream = liveUpstream((await caddy.read('/config/')).value as RawConfig, serverName(pair.project)) ?? '';
      const { reporter, watch } = switchWatcher(admin, new URL(SLOW_PATH, pair.berth.url).href, oldUpstream);
      const counts = await pair.undisturbed(`switch round ${round}`, async () => {
        const probe = startProbe(pair.berth.url);
        await pair.berthRun('deploy', commit, reporter);
        return probe.stop();
      });
      const slow = await watch.slow;
      if (!slow || watch.switchedAt === undefined) throw new Error('the deploy had no switch step');
      const oldPort = oldUpstream.split(':').at(-1);
      const result: SwitchRound = {
        answer: slow.answer,
        completed: slow.ok && slow.answer.includes('slow-done'),
        spannedSwitch: slow.answer.endsWith(`on port ${oldPort}`) && slow.startedAt < watch.switchedAt && slow.endedAt > watch.switchedAt,
        slowMs: slow.endedAt - slow.startedAt,
        failedProbes: counts.failed,
        probesSent: counts.sent,
        probesRetried: counts.retried,
      };
      results.push(result);
      console.error(
        `switch ${bench.name} round ${round}: the 2 s request ${result.completed ? 'completed' : 'FAILED'} (${result.answer}, ${(result.slowMs / 1000).toFixed(2)}s; old colour ${oldUpstream}${result.spannedSwitch ? ', in flight across the switch' : ', NOT across the switch'}); ${counts.failed}/${counts.sent} probes failed (${counts.retried} sent again on a fresh connection)`,
      );
    }
    return results;
  });
}
