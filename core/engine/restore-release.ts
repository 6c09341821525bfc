/** Brings a recorded release back: used by the automatic rollback and the rollback command. */
import { BerthError } from '../errors.js';
import type { ContainerState } from '../health/containers.js';
import type { Release } from '../release/release.js';
import type { Settings } from '../settings/settings.js';
import type { AppSession } from './app-session.js';
import { awaitHealthy } from './health-check.js';

/** Brings a recorded release back: its commit, its kept images (or a rebuild), then a health check. */
export async function restoreRelease(session: AppSession, settings: Settings, target: Release): Promise<ContainerState[]> {
  const { app } = session;
  const commit = target.commit;
  if (!commit) throw new BerthError(`Release ${target.id} has no commit to restore.`);
  await app.checkout(commit);
  const restored = await app.restoreImages(target.images, target.imageNames);
  if (!restored) session.health.reporter.logger.info('The kept images of that release are gone: rebuilding it.');
  await app.up(!restored);
  return (await awaitHealthy(app, session.executor, settings, session.health)).containers;
}
