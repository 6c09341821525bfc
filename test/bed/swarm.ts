/**
 * The single-node Docker Swarm the swarm tests deploy to, on the engine every test run shares.
 * The test bed inits a swarm only when the engine is in none, marks it as its own (its node id),
 * and counts the test processes using it; the last one to leave leaves the swarm. A swarm the
 * test bed did not create is never touched: the tests that need one fail, saying so.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sh } from './system.js';

const STATE_DIR = '/var/lib/berth-testbed/swarm';
/** The node id of the swarm the test bed created. */
const OWNED = join(STATE_DIR, 'node-id');
/** One file per test process using the swarm, named by its pid. */
const USERS = join(STATE_DIR, 'users');
const LOCK = join(STATE_DIR, 'lock');
/** Present when `docker_gwbridge` did not exist before the init: Swarm creates that bridge, leaving it removes it. */
const GWBRIDGE_OURS = join(STATE_DIR, 'gwbridge-created');
const GWBRIDGE = 'docker_gwbridge';

function networkExists(name: string): boolean {
  return spawnSync('docker', ['network', 'inspect', name], { stdio: 'ignore' }).status === 0;
}

interface SwarmInfo {
  readonly LocalNodeState: string;
  readonly NodeID: string;
  readonly ControlAvailable: boolean;
}

function swarmInfo(): SwarmInfo {
  return JSON.parse(sh('docker', ['info', '--format', '{{json .Swarm}}'])) as SwarmInfo;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwned(): string | undefined {
  try {
    return readFileSync(OWNED, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The pids still using the swarm; files of processes that died are removed. */
function liveUsers(): number[] {
  mkdirSync(USERS, { recursive: true });
  const pids: number[] = [];
  for (const name of readdirSync(USERS)) {
    const pid = Number(name);
    if (Number.isInteger(pid) && alive(pid)) pids.push(pid);
    else rmSync(join(USERS, name), { force: true });
  }
  return pids;
}

/** Runs fn holding the test bed's swarm lock (a directory, created atomically); a dead holder's lock is taken over. */
async function locked<T>(fn: () => T): Promise<T> {
  mkdirSync(STATE_DIR, { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      break;
    } catch {
      const holder = Number(
        (() => {
          try {
            return readFileSync(join(LOCK, 'pid'), 'utf8');
          } catch {
            return '';
          }
        })(),
      );
      if (holder && !alive(holder)) rmSync(LOCK, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`test bed: the swarm lock ${LOCK} stayed held by pid ${holder || '?'}`);
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Leaves the swarm when the test bed created it and no live test process uses it. */
function leaveIfUnused(): void {
  if (liveUsers().length > 0) return;
  const owned = readOwned();
  if (!owned) return;
  const info = swarmInfo();
  if (info.LocalNodeState === 'active' && info.NodeID === owned) {
    const left = spawnSync('docker', ['swarm', 'leave', '--force'], { encoding: 'utf8' });
    if (left.status !== 0) throw new Error(`test bed: docker swarm leave --force failed: ${left.stderr}`);
  }
  rmSync(OWNED, { force: true });
  try {
    readFileSync(GWBRIDGE_OURS);
  } catch {
    return;
  }
  if (networkExists(GWBRIDGE)) spawnSync('docker', ['network', 'rm', GWBRIDGE], { stdio: 'ignore' });
  rmSync(GWBRIDGE_OURS, { force: true });
}

/**
 * Puts this process among the swarm's users, creating the swarm when the engine is in none.
 * Returns the function that takes it out again (and leaves the swarm when it was the last).
 */
export async function joinTestSwarm(): Promise<() => Promise<void>> {
  await locked(() => {
    liveUsers();
    const info = swarmInfo();
    const owned = readOwned();
    if (info.LocalNodeState === 'inactive') {
      if (!networkExists(GWBRIDGE)) writeFileSync(GWBRIDGE_OURS, '');
      sh('docker', ['swarm', 'init', '--advertise-addr', '127.0.0.1']);
      writeFileSync(OWNED, swarmInfo().NodeID);
    } else if (info.LocalNodeState !== 'active' || info.NodeID !== owned) {
      throw new Error(
        `The Docker engine is already in a swarm (node ${info.NodeID || '?'}, state ${info.LocalNodeState}) that the test bed ` +
          'did not create, so the swarm tests leave it alone and fail. If it is a leftover of yours, run `docker swarm leave --force`.',
      );
    }
    writeFileSync(join(USERS, String(process.pid)), '');
  });
  return () =>
    locked(() => {
      rmSync(join(USERS, String(process.pid)), { force: true });
      leaveIfUnused();
    });
}

/** For the end of a test run: leaves a swarm the test bed created whose users all died without leaving. */
export async function leaveAbandonedTestSwarm(): Promise<void> {
  if (!readOwned()) return;
  await locked(leaveIfUnused);
}
