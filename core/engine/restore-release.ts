/** Brings a recorded release back: used by the automatic rollback and the rollback command. */
import { newRelease, type Release } from '../release/release.js';
import type { Settings } from '../settings/settings.js';
import type { Restored } from './app-runtime.js';
import type { AppSession } from './app-session.js';

export type { Restored } from './app-runtime.js';

/** Brings a recorded release back: its commit, its kept images (or a rebuild), then a health check. */
export function restoreRelease(session: AppSession, _settings: Settings, target: Release): Promise<Restored> {
  return session.runtime.restore(target);
}

/** A stand-in release for a commit that ran before berth recorded any release: no kept images, so it is rebuilt. */
export function unrecordedRelease(commit: string): Release & { commit: string } {
  return { ...newRelease(commit, undefined), commit, state: 'succeeded' };
}
