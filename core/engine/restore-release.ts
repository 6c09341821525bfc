/** Brings a recorded release back: used by the automatic rollback and the rollback command. */
import { BerthError } from '../errors.js';
import type { ContainerState } from '../health/containers.js';
import { newRelease, type Release } from '../release/release.js';
import type { Settings } from '../settings/settings.js';
import type { AppSession } from './app-session.js';
import { awaitHealthy } from './health-check.js';

export interface Restored {
  readonly containers: ContainerState[];
  /** Whether the release's kept images were put back, or it had to be rebuilt. */
  readonly images: 'kept' | 'rebuilt';
}

/** Brings a recorded release back: its commit, its kept images (or a rebuild), then a health check. */
export async function restoreRelease(session: AppSession, settings: Settings, target: Release): Promise<Restored> {
  const { app } = session;
  const commit = target.commit;
  if (!commit) throw new BerthError(`Release ${target.id} has no commit to restore.`);
  await app.checkout(commit);
  const kept = await app.restoreImages(target.images, target.imageNames);
  if (!kept) session.health.reporter.logger.info('The kept images of that release are gone: rebuilding it.');
  await app.up(!kept);
  const { containers } = await awaitHealthy(app, session.executor, settings, session.health);
  return { containers, images: kept ? 'kept' : 'rebuilt' };
}

/** A stand-in release for a commit that ran before berth recorded any release: no kept images, so it is rebuilt. */
export function unrecordedRelease(commit: string): Release & { commit: string } {
  return { ...newRelease(commit, undefined), commit, state: 'succeeded' };
}
