/**
 * One app on several "hosts" of the test bed: its three sshds (the third reached over IPv6), each
 * with its own checkout of one origin, Compose project and app port on the one Docker engine. The
 * app's `.env` is not committed: each checkout has its own (its port, and what the test gives it).
 */
import { type Executor, runChecked } from '../../core/exec/executor.js';
import type { Release } from '../../core/release/release.js';
import { freePort } from '../bed/system.js';
import { testbed } from '../bed/testbed.js';
import { type AppRepo, createAppRepo, removeComposeApp } from './app-repo.js';

export interface BedHost {
  /** As berth names it: `127.0.0.1:40123`, `[::1]:40125`. */
  readonly label: string;
  readonly path: string;
  readonly project: string;
  readonly appPort: number;
  /** Its line of the `host` input: the address, then its own path, project and health URL. */
  readonly line: string;
}

export interface FleetApp {
  /** The origin every checkout fetches from, and the work clone tests commit with. */
  readonly repo: AppRepo;
  readonly hosts: readonly BedHost[];
  /** known_hosts lines for every host. */
  readonly knownHosts: string;
  /** The `host` input for these hosts (all when none are named), one line each. */
  hostInput(hosts?: readonly BedHost[]): string;
  /** The page a host serves: `200 version 2`. */
  page(host: BedHost): Promise<string>;
  /** The host's release history, oldest first. */
  releases(host: BedHost): Promise<Release[]>;
  /** Stops every host's containers and removes the images berth built or tagged for them. */
  remove(): Promise<void>;
}

/** `env[i]` goes into the i-th host's `.env` beside its port; as many hosts as entries (at most three). */
export async function createFleetApp(admin: Executor, name: string, env: ReadonlyArray<Record<string, string>>): Promise<FleetApp> {
  const bed = testbed();
  const root = `${bed.home}/berth-tests/${name}`;
  const repo = await createAppRepo(admin, root, await freePort());
  await repo.commit({ '.env': null }, 'each host has its own .env');
  const addresses = [`127.0.0.1:${bed.sshd.port}`, `127.0.0.1:${bed.jump.port}`, `[::1]:${bed.third.port}`];
  const hosts: BedHost[] = [];
  for (const [index, vars] of env.entries()) {
    const label = addresses[index] ?? '';
    const path = `${root}/host${index + 1}`;
    const project = `${name}-${index + 1}`;
    const appPort = await freePort();
    await runChecked(admin, ['git', 'clone', '--quiet', `${root}/origin.git`, path]);
    const dotenv = Object.entries({ APP_PORT: String(appPort), ...vars }).map(([key, value]) => `${key}=${value}\n`);
    await runChecked(admin, ['sh', '-c', 'cat > "$1"', 'write', `${path}/.env`], { stdin: dotenv.join('') });
    const line = `${label} path=${path} project-name=${project} health-url=http://localhost:${appPort}/health`;
    hosts.push({ label, path, project, appPort, line });
  }
  const read = async (host: BedHost) => (await runChecked(admin, ['cat', `${host.path}/.git/berth/releases.json`])).stdout;
  return {
    repo,
    hosts,
    knownHosts: [bed.sshd.knownHosts, bed.jump.knownHosts, bed.third.knownHosts].join(''),
    hostInput: (chosen = hosts) => chosen.map((host) => host.line).join('\n'),
    page: async (host) => {
      const response = await fetch(`http://127.0.0.1:${host.appPort}/`);
      return `${response.status} ${(await response.text()).trim()}`;
    },
    releases: async (host) => (JSON.parse(await read(host)) as { releases: Release[] }).releases,
    remove: async () => {
      for (const host of hosts) await removeComposeApp(admin, host.path, host.project);
    },
  };
}
