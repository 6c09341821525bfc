/**
 * The migration of a run on several hosts: once per deploy, on the first host given, after every host
 * was prepared (built, nothing started) and before any switches. The hosts share what it migrates (one
 * database), so once is enough, and no host runs the new version before it is done. It runs alone, so
 * its output streams live, in the group `<first host>: migrate`. A failure ends the run there: the
 * first host `failed` in its migrate step, the others not started, every host put back as it was.
 */
import { tryStep } from '../engine/deploy/attempt.js';
import { runMigration } from '../engine/migrate.js';
import { onEach } from './fleet-host.js';
import type { LockedHost } from './host-deploy.js';
import type { Rollout } from './rollout.js';

/** Runs `migrate-command` on the first prepared host; true when the hosts may switch. */
export async function migrateOnce(rollout: Rollout, prepared: readonly LockedHost[]): Promise<boolean> {
  const [first] = prepared;
  if (!first?.settings.migrateCommand) return true;
  const [migrated] = await onEach([first], 'migrate', (host) => tryStep(() => runMigration(host.session.app, host.settings, host.steps)));
  if (!migrated || migrated.ok) return true;
  const { failure } = migrated;
  const why = rollout.why(`${first.label} failed in the ${failure.step} step`);
  rollout.deps.reporter.logger.error(`${why}: no host switches.`);
  await rollout.abandon(
    prepared,
    (host) => (host === first ? rollout.endFor(failure) : { state: 'cancelled', error: `Not started: ${why}.` }),
    true,
  );
  return false;
}
