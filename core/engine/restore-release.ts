/** Brings a recorded release back: used by the automatic rollback and the rollback command. */
import type { Release } from '../release/release.js';
import type { Settings } from '../settings/settings.js';
import type { Proven } from './app-runtime.js';
import type { AppSession } from './app-session.js';

/** Brings a recorded release back: its commit, its kept images (or a rebuild), then a health check. */
export function restoreRelease(session: AppSession, _settings: Settings, target: Release): Promise<Proven> {
  return session.runtime.restore(target);
}
