/**
 * What the server adds to an event: where (its host name), the commit that is live, and for a
 * compose or deploy failure the failing service's last log lines and the error berth recorded.
 * The live commit comes from berth's own release history in the app's folder (the folder a
 * `compose` check names), else from GitHub's last successful deployment of the environment.
 */
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { lastGood, type Release } from '../../core/release/release.js';
import type { CheckConfig } from '../config/server-config.js';
import type { DeploymentStore } from '../storage/deployment-store.js';
import type { AlertContext } from './alert.js';
import type { BerthAlertEvent } from './github-alert-events.js';

export interface ContextSources {
  readonly host?: string;
  readonly checks: readonly CheckConfig[];
  readonly deployments: DeploymentStore;
}

/** berth's release history in an app folder, or none when it cannot be read (not deployed by berth, not mounted). */
export async function readReleases(appPath: string): Promise<Release[]> {
  try {
    const text = await readFile(join(appPath, '.git', 'berth', 'releases.json'), 'utf8');
    return (JSON.parse(text) as { releases?: Release[] }).releases ?? [];
  } catch {
    return [];
  }
}

/** The app folders the compose checks name: where berth deploys. */
const appPaths = (checks: readonly CheckConfig[]): string[] => checks.flatMap((c) => (c.type === 'compose' ? [c.path] : []));

async function deployContext(event: Extract<BerthAlertEvent, { kind: 'deploy_failed' }>, sources: ContextSources) {
  for (const path of appPaths(sources.checks)) {
    const releases = await readReleases(path);
    const failed = [...releases].reverse().find((r) => r.commit === event.sha && r.error);
    if (!failed && releases.length === 0) continue;
    return {
      liveCommit: lastGood(releases)?.commit,
      releaseError: failed ? `${failed.failedStep ?? 'deploy'} failed: ${failed.error}` : undefined,
    };
  }
  const success = await sources.deployments.lastSuccess(event.environment);
  return { liveCommit: success?.sha, releaseError: undefined };
}

export async function alertContext(event: BerthAlertEvent, sources: ContextSources): Promise<AlertContext> {
  const host = sources.host ?? hostname();
  switch (event.kind) {
    case 'check_down': {
      const config = sources.checks.find((c) => c.name === event.check);
      const service = event.details?.failingServices?.[0];
      const logTail = service && event.details?.logTail ? { service, lines: event.details.logTail } : undefined;
      const liveCommit = config?.type === 'compose' ? lastGood(await readReleases(config.path))?.commit : undefined;
      return { host, liveCommit, logTail };
    }
    case 'deploy_failed':
      return { host, ...(await deployContext(event, sources)) };
    default:
      return { host };
  }
}
