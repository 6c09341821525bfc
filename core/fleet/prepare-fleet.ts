/**
 * Every host prepared before any switches: all connect at once (each key verified on its own), no two
 * naming one checkout, lock one by one in a fixed order, then fetch, pull and build at once, starting
 * nothing. A host failing in any of this fails the run and changes nothing anywhere.
 */
import type { StepResult } from '../engine/deploy/attempt.js';
import { connectHost, type FleetHost } from './fleet-host.js';
import { type LockedHost, lockHost, skipHost, stageHost } from './host-deploy.js';
import { repeatedCheckouts } from './one-checkout.js';
import type { Rollout } from './rollout.js';

/** The hosts prepared, in the order given; undefined when the run ends here (every host put back and recorded). */
export async function prepareFleet(rollout: Rollout): Promise<LockedHost[] | undefined> {
  for (const host of rollout.hosts) host.log.hold();
  try {
    if (!(await connectAll(rollout)) || !(await distinctCheckouts(rollout)) || !(await lockAll(rollout))) return undefined;
    const staged = await stageAll(rollout);
    return staged && (await skipWhenSuperseded(rollout, staged)) ? staged : undefined;
  } finally {
    for (const host of rollout.hosts) await host.log.show('prepare');
  }
}

/** Connects to every host at once; true when all could be reached. */
async function connectAll(rollout: Rollout): Promise<boolean> {
  const results = await Promise.all(rollout.hosts.map(connectHost));
  rollout.connected.push(...results.flatMap((r) => (r.ok ? [r.value] : [])));
  const failed = failures(rollout.hosts, results);
  for (const { host, failure } of failed) rollout.fail(host, failure);
  if (failed.length === 0) return true;
  rollout.notStarted(rollout.why(`${failed.map(({ host }) => host.label).join(', ')} could not be reached`));
  return false;
}

/** True when no two hosts name one checkout; else each repeat fails, before any lock is taken. */
async function distinctCheckouts(rollout: Rollout): Promise<boolean> {
  const repeated = await repeatedCheckouts(rollout.connected);
  for (const { host, failure } of repeated) rollout.fail(host, failure);
  if (repeated.length === 0) return true;
  rollout.notStarted(rollout.why(`${repeated.map(({ host }) => host.label).join(', ')} failed in the inputs step`));
  return false;
}

/**
 * Takes the hosts' locks one at a time, in the order of their names by code point (not locale, so
 * every machine takes them in the same order): two runs on the same hosts then never each hold a lock
 * the other waits for. True when every host was locked.
 */
async function lockAll(rollout: Rollout): Promise<boolean> {
  const inOrder = [...rollout.connected].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  for (const host of inOrder) {
    const locked = await lockHost(host);
    if (locked.ok) {
      rollout.locked.push(locked.value);
      continue;
    }
    rollout.fail(host, locked.failure);
    const why = rollout.why(`${host.label} failed in the ${locked.failure.step} step`);
    await rollout.abandon(rollout.locked, () => ({ state: 'cancelled', error: `Not started: ${why}.` }), false, true);
    rollout.notStarted(why);
    return false;
  }
  return true;
}

/** Fetches, pulls and builds on every host at once; the hosts in the order given, or undefined when one failed. */
async function stageAll(rollout: Rollout): Promise<LockedHost[] | undefined> {
  const given = rollout.hosts.flatMap((host) => rollout.locked.filter((locked) => locked.label === host.label));
  const results = await Promise.all(given.map(stageHost));
  const failed = failures(given, results);
  const [first] = failed;
  if (!first) return results.flatMap((r) => (r.ok ? [r.value] : []));
  const why = rollout.why(`${first.host.label} failed in the ${first.failure.step} step`);
  await rollout.abandon(
    given,
    (host) => {
      const own = failed.find((f) => f.host === host);
      return own ? rollout.endFor(own.failure) : { state: 'cancelled', error: `Not started: ${why}.` };
    },
    true,
    true,
  );
  return undefined;
}

/**
 * A push deploy whose commit is older than what runs on some host (a newer one went live there while
 * it waited) skips itself everywhere: superseded there, not started on the others. True when none is.
 */
async function skipWhenSuperseded(rollout: Rollout, staged: readonly LockedHost[]): Promise<boolean> {
  const superseded = staged.filter((host) => host.supersededBy);
  const [first] = superseded;
  if (!first?.supersededBy) return true;
  for (const host of superseded) rollout.setFrom(host, await skipHost(host, host.supersededBy ?? ''));
  const why = `superseded on ${first.label}: ${first.supersededBy.slice(0, 12)}, a newer commit, went live there while this push deploy waited`;
  await rollout.abandon(
    staged.filter((host) => !host.supersededBy),
    () => ({ state: 'cancelled', error: `Not started: ${why}.` }),
    true,
    true,
  );
  return false;
}

function failures<H extends FleetHost, T>(hosts: readonly H[], results: readonly StepResult<T>[]) {
  return hosts.flatMap((host, index) => {
    const result = results[index];
    return result && !result.ok ? [{ host, failure: result.failure }] : [];
  });
}
