/**
 * A rolling deploy to three hosts (the test bed's three sshds, each with its own checkout, Compose
 * project and port) with `parallel: 1` and `parallel: 3`, against baselines in the same run: three
 * single-host deploys one after the other, the same three started at once (three uncoordinated jobs:
 * nothing prepared first, nothing taken back), and one host's deploy alone. Each deploy ships a new
 * commit (a page edit); the variants take turns going first. The three "hosts" share this machine's
 * cores and Docker engine, so work that runs at once competes for them, as it would not on three servers;
 * with `bootSeconds` the app boots that long before it serves, as real apps do, which is waiting that
 * hosts switching at once overlap.
 */
import type { Outcome } from '../core/engine/outcome.js';
import { silentReporter } from '../core/engine/reporter.js';
import { runCommand } from '../core/engine/run-command.js';
import { connectSsh } from '../core/ssh/ssh-connection.js';
import type { RunningTestbed } from '../test/bed/start-testbed.js';
import { bedInputs, settingsFrom } from '../test/helpers/engine.js';
import { type BedHost, createFleetApp, type FleetApp } from '../test/helpers/fleet-app.js';
import { bedSettings } from '../test/helpers/ssh.js';

export interface FleetRound {
  /** One host's deploy, alone. */
  readonly oneHostMs: number;
  /** Three single-host deploys, one after the other. */
  readonly sequentialMs: number;
  /** Three single-host deploys started at once. */
  readonly concurrentMs: number;
  readonly parallel1Ms: number;
  readonly parallel3Ms: number;
}

type Variant = keyof FleetRound;

async function deployTo(fleet: FleetApp, hosts: readonly BedHost[], ref: string, parallel: number): Promise<void> {
  const settings = settingsFrom(
    bedInputs({ host: fleet.hostInput(hosts), port: '', 'known-hosts': fleet.knownHosts, ref, parallel: String(parallel) }),
  );
  const outcome: Outcome = await runCommand(settings, {
    reporter: silentReporter,
    connect: (ssh) => connectSsh(ssh),
    lint: async () => {},
    owner: 'bench',
  });
  if (outcome.status !== 'succeeded') throw new Error(`deploy to ${hosts.length} hosts ${outcome.status}: ${outcome.error}`);
}

/** The example app's Compose file, its server started after `seconds` of boot. */
function booting(seconds: number): string {
  return [
    "version: '2.4'",
    'services:',
    '  web:',
    '    build: .',
    '    network_mode: host',
    '    init: true',
    '    restart: unless-stopped',
    '    environment:',
    "      PORT: '${APP_PORT:-18080}'",
    `    command: ["sh", "-c", "sleep ${seconds}; exec httpd -f -p 127.0.0.1:$\${PORT} -h /www"]`,
    // The Dockerfile's check, given the time to boot before a failure counts.
    '    healthcheck:',
    '      interval: 1s',
    '      start_period: 30s',
    '',
  ].join('\n');
}

export async function fleetBench(_testbed: RunningTestbed, rounds: number, bootSeconds = 0): Promise<FleetRound[]> {
  const admin = await connectSsh(bedSettings());
  const fleet = await createFleetApp(admin, `bench-fleet-${bootSeconds}s-${process.pid}`, [{}, {}, {}]);
  if (bootSeconds > 0) await fleet.repo.commit({ 'docker-compose.yml': booting(bootSeconds) }, `boot for ${bootSeconds}s`);
  const variants: Record<Variant, (ref: string) => Promise<void>> = {
    oneHostMs: (ref) => deployTo(fleet, fleet.hosts.slice(0, 1), ref, 1),
    sequentialMs: async (ref) => {
      for (const host of fleet.hosts) await deployTo(fleet, [host], ref, 1);
    },
    concurrentMs: async (ref) => {
      await Promise.all(fleet.hosts.map((host) => deployTo(fleet, [host], ref, 1)));
    },
    parallel1Ms: (ref) => deployTo(fleet, fleet.hosts, ref, 1),
    parallel3Ms: (ref) => deployTo(fleet, fleet.hosts, ref, 3),
  };
  const order = Object.keys(variants) as Variant[];
  try {
    // Every host starts from a running, healthy app.
    await deployTo(fleet, fleet.hosts, 'main', 3);
    const results: FleetRound[] = [];
    for (let round = 1; round <= rounds; round++) {
      const times: Partial<Record<Variant, number>> = {};
      for (const [index, variant] of order.entries()) {
        const ref = await fleet.repo.commit({ 'www/index.html': `round ${round}, ${variant}\n` }, `round ${round} ${index}`);
        const started = performance.now();
        await variants[variant](ref);
        times[variant] = performance.now() - started;
      }
      order.push(order.shift() as Variant);
      const result = Object.fromEntries(order.map((variant) => [variant, times[variant] ?? 0])) as unknown as FleetRound;
      results.push(result);
      const s = (ms: number) => `${(ms / 1000).toFixed(2)}s`;
      console.error(
        `fleet (boot ${bootSeconds}s) round ${round}: one host ${s(result.oneHostMs)}; three single-host deploys in a row ${s(result.sequentialMs)}, at once ${s(result.concurrentMs)}; parallel 1 ${s(result.parallel1Ms)}, parallel 3 ${s(result.parallel3Ms)}`,
      );
    }
    return results;
  } finally {
    await fleet.remove();
    await admin.close();
  }
}
