/**
 * What the server adds to an event: where (its host name), the commit that is live, and for a
 * compose or deploy failure the failing service's last log lines and the error berth recorded.
 * The live commit comes from berth's own release history in the app's folder (the folder a
 * `compose` check names), else from GitHub's last successful deployment of the environment.
 */
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { parseHistory } from '../../core/release/history-file.js';
import { lastGood, type Release } from '../../core/release/release.js';
import type { CheckConfig, ComposeCheckConfig } from '../config/server-config.js';
import type { DeploymentStore } from '../storage/deployment-store.js';
import type { AlertContext, LogTail } from './alert.js';
import type { BerthAlertEvent } from './github-alert-events.js';

/** The last log lines of the first failing service of an app's Compose project, if one is failing now. */
export type ComposeLogs = (check: ComposeCheckConfig) => Promise<LogTail | undefined>;

export interface ContextSources {
  readonly host?: string | undefined;
  readonly checks: readonly CheckConfig[];
  readonly deployments: DeploymentStore;
  readonly composeLogs?: ComposeLogs | undefined;
}

/** berth's release history in an app folder, or none when it cannot be read (not deployed by berth, not mounted). */
export async function readReleases(appPath: string): Promise<Release[]> {
  try {
    const text = await readFile(join(appPath, '.git', 'berth', 'releases.json'), 'utf8');
    return parseHistory(text);
  } catch {
    return [];
  }
}

/** The compose checks: their folders are where berth deploys. */
const composeChecks = (checks: readonly CheckConfig[]): ComposeCheckConfig[] => checks.flatMap((c) => (c.type === 'compose' ? [c] : []));

/**
 * A failed deploy's context from the app folder berth deployed it to: the live commit, the step and
 * error berth recorded for that commit, and the failing service's log lines when one is failing now
 * (after a rollback the failed containers are gone: the run's log, linked, has their lines).
 */
async function deployContext(event: Extract<BerthAlertEvent, { kind: 'deploy_failed' }>, sources: ContextSources) {
  for (const check of composeChecks(sources.checks)) {
    const releases = await readReleases(check.path);
    if (releases.length === 0) continue;
    const failed = [...releases].reverse().find((r) => r.commit === event.sha && r.error);
    return {
      liveCommit: lastGood(releases)?.commit,
      releaseError: failed ? `${failed.failedStep ?? 'deploy'} failed: ${failed.error}` : undefined,
      logTail: await sources.composeLogs?.(check).catch(() => undefined),
    };
  }
  const success = await sources.deployments.lastSuccess(event.environment);
  return { liveCommit: success?.sha };
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
