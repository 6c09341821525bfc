/** Everything the status page shows, gathered in one place from the services and the catalog. */
import { describeError } from '../../core/errors.js';
import type { BackupOverview, BackupService } from '../backups/backup-service.js';
import type { CheckOverview, CheckService } from '../checks/check-service.js';
import type { BackupCatalog, CatalogEntry } from '../storage/backup-catalog.js';

/** A deploy as the status page lists it; the deployments history (GitHub webhooks) supplies them. */
export interface DeployView {
  readonly environment: string;
  /** success, failure, error, in_progress, … */
  readonly state: string;
  readonly ref: string | null;
  readonly sha: string | null;
  readonly at: string;
  readonly url: string | null;
}

/** Where recent deploys come from; absent until deployments are recorded. */
export interface RecentDeploys {
  recent(limit: number): Promise<DeployView[]>;
}

export interface BackupStatus extends BackupOverview {
  readonly lastGood: CatalogEntry | undefined;
  readonly lastRun: CatalogEntry | undefined;
}

export interface StatusSnapshot {
  readonly checks: readonly CheckOverview[];
  readonly backups: readonly BackupStatus[];
  /** Undefined when no deploy source is wired in. */
  readonly deploys: readonly DeployView[] | undefined;
  /** Why the storage could not be read: the checks' states then come from memory, without backups or deploys. */
  readonly storageProblem?: string | undefined;
  readonly at: Date;
}

export interface StatusSources {
  readonly checks: CheckService;
  readonly backups: BackupService;
  readonly catalog: BackupCatalog;
  readonly deploys?: RecentDeploys | undefined;
}

/** Results per check in the history strip. */
export const HISTORY_CELLS = 40;

async function backupStatuses(sources: StatusSources): Promise<BackupStatus[]> {
  return Promise.all(
    (await sources.backups.overview()).map(async (b) => {
      const [[lastGood], [lastRun]] = await Promise.all([sources.catalog.good(b.name), sources.catalog.list(b.name, 1)]);
      return { ...b, lastGood, lastRun };
    }),
  );
}

/** What the page shows; while the storage is away, the checks as this server knows them and the reason. */
export async function statusSnapshot(sources: StatusSources, at = new Date()): Promise<StatusSnapshot> {
  const checks = sources.checks.overview(HISTORY_CELLS);
  try {
    const [backups, deploys] = await Promise.all([backupStatuses(sources), sources.deploys?.recent(10)]);
    return { checks: await checks, backups, deploys, at };
  } catch (error) {
    return { checks: await checks, backups: [], deploys: undefined, storageProblem: describeError(error), at };
  }
}
