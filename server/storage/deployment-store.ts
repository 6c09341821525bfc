/**
 * Each environment's deployment history, from GitHub's `deployment_status` deliveries: one row per
 * status (its id is the key, so a delivery recorded twice is one row), read back per deployment.
 * Also the delivery ids seen, so a redelivered webhook is recorded once.
 */
import type { DeployView } from '../status/status-data.js';
import type { Storage } from './storage.js';

/** States GitHub gives a deployment that has not finished. */
export const UNFINISHED_STATES: readonly string[] = ['queued', 'pending', 'in_progress'];

export interface DeploymentStatusRecord {
  readonly statusId: number;
  readonly deploymentId: number;
  readonly repository: string;
  readonly environment: string;
  /** queued, pending, in_progress, success, failure, error, inactive */
  readonly state: string;
  readonly sha: string;
  readonly ref: string;
  readonly description: string | null;
  readonly creator: string | null;
  readonly logUrl: string | null;
  readonly environmentUrl: string | null;
  readonly createdAt: string;
}

export interface Deployment {
  readonly id: number;
  readonly repository: string;
  readonly environment: string;
  readonly sha: string;
  readonly ref: string;
  /** Its latest status. */
  readonly state: string;
  readonly description: string | null;
  readonly creator: string | null;
  readonly logUrl: string | null;
  readonly environmentUrl: string | null;
  readonly startedAt: string;
  readonly updatedAt: string;
  /** Oldest first. */
  readonly statuses: ReadonlyArray<{ readonly state: string; readonly at: string; readonly description: string | null }>;
}

type StatusRow = {
  status_id: number | string;
  deployment_id: number | string;
  repository: string;
  environment: string;
  state: string;
  sha: string;
  ref: string;
  description: string | null;
  creator: string | null;
  log_url: string | null;
  environment_url: string | null;
  created_at: string;
};

const fromRow = (row: StatusRow): DeploymentStatusRecord => ({
  statusId: Number(row.status_id),
  deploymentId: Number(row.deployment_id),
  repository: row.repository,
  environment: row.environment,
  state: row.state,
  sha: row.sha,
  ref: row.ref,
  description: row.description,
  creator: row.creator,
  logUrl: row.log_url,
  environmentUrl: row.environment_url,
  createdAt: row.created_at,
});

/** Statuses (oldest first) of one deployment → the deployment as its latest status says. */
function toDeployment(statuses: readonly DeploymentStatusRecord[]): Deployment {
  const first = statuses[0] as DeploymentStatusRecord;
  const last = statuses[statuses.length - 1] as DeploymentStatusRecord;
  return {
    id: last.deploymentId,
    repository: last.repository,
    environment: last.environment,
    sha: last.sha,
    ref: last.ref,
    state: last.state,
    description: last.description,
    creator: last.creator,
    logUrl: [...statuses].reverse().find((s) => s.logUrl)?.logUrl ?? null,
    environmentUrl: [...statuses].reverse().find((s) => s.environmentUrl)?.environmentUrl ?? null,
    startedAt: first.createdAt,
    updatedAt: last.createdAt,
    statuses: statuses.map((s) => ({ state: s.state, at: s.createdAt, description: s.description })),
  };
}

export class DeploymentStore {
  constructor(private readonly storage: Storage) {}

  /** Whether a delivery id was handled before (a redelivery, or the same delivery at another server). */
  async seenDelivery(id: string): Promise<boolean> {
    return (await this.storage.all('SELECT id FROM webhook_deliveries WHERE id = ?', [id])).length > 0;
  }

  /** Records a handled delivery's id (once, whichever server handled it). */
  async markDelivery(id: string, event: string, action: string | null, at: string): Promise<void> {
    await this.storage.run('INSERT INTO webhook_deliveries (id, event, action, received_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', [
      id,
      event,
      action,
      at,
    ]);
  }

  /** Records a status; false when it was recorded before. */
  async record(status: DeploymentStatusRecord, receivedAt: string): Promise<boolean> {
    const rows = await this.storage.all(
      `INSERT INTO deployment_statuses (status_id, deployment_id, repository, environment, state, sha, ref, description, creator,
         log_url, environment_url, created_at, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING status_id`,
      [
        status.statusId,
        status.deploymentId,
        status.repository,
        status.environment,
        status.state,
        status.sha,
        status.ref,
        status.description,
        status.creator,
        status.logUrl,
        status.environmentUrl,
        status.createdAt,
        receivedAt,
      ],
    );
    return rows.length === 1;
  }

  /** The latest deployments, newest first, optionally of one environment. */
  async recent(limit: number, environment?: string): Promise<Deployment[]> {
    const filter = environment ? 'WHERE environment = ?' : '';
    const ids = await this.storage.all<{ deployment_id: number | string }>(
      `SELECT deployment_id, MAX(status_id) AS latest FROM deployment_statuses ${filter}
       GROUP BY deployment_id ORDER BY latest DESC LIMIT ?`,
      environment ? [environment, limit] : [limit],
    );
    if (ids.length === 0) return [];
    const rows = await this.storage.all<StatusRow>(
      `SELECT * FROM deployment_statuses WHERE deployment_id IN (${ids.map(() => '?').join(', ')}) ORDER BY status_id`,
      ids.map((r) => Number(r.deployment_id)),
    );
    const statuses = rows.map(fromRow);
    return ids.map((r) => toDeployment(statuses.filter((s) => s.deploymentId === Number(r.deployment_id))));
  }

  /** The latest deployments as the status page lists them: environment, state, ref, commit, when, the run's link. */
  async views(limit: number): Promise<DeployView[]> {
    return (await this.recent(limit)).map((d) => ({
      environment: d.environment,
      state: d.state,
      ref: d.ref,
      sha: d.sha,
      at: d.updatedAt,
      url: d.logUrl,
    }));
  }

  /** Deployments whose latest status is unfinished, received since `since` (older ones lost their end). */
  async unfinished(since: string): Promise<DeploymentStatusRecord[]> {
    const rows = await this.storage.all<StatusRow>(
      `SELECT * FROM deployment_statuses WHERE status_id IN (
         SELECT MAX(status_id) FROM deployment_statuses WHERE received_at >= ? GROUP BY deployment_id)
       AND state IN (${UNFINISHED_STATES.map(() => '?').join(', ')})`,
      [since, ...UNFINISHED_STATES],
    );
    return rows.map(fromRow);
  }

  /** The newest successful deployment of an environment: the commit that should be live there. */
  async lastSuccess(environment: string): Promise<DeploymentStatusRecord | undefined> {
    const [row] = await this.storage.all<StatusRow>(
      "SELECT * FROM deployment_statuses WHERE environment = ? AND state = 'success' ORDER BY status_id DESC LIMIT 1",
      [environment],
    );
    return row ? fromRow(row) : undefined;
  }

  /** Forgets delivery ids received before `before` (GitHub redelivers for a few days at most). */
  async pruneDeliveries(before: string): Promise<void> {
    await this.storage.run('DELETE FROM webhook_deliveries WHERE received_at < ?', [before]);
  }
}
