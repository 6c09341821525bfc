/**
 * The alert outbox: one row per alert (idempotent on its key, so a state change raised twice is one
 * alert) and one row per (alert, channel) delivery. Deliveries are claimed by one server at a time:
 * `FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite has one process. A claimed row holds a lease
 * (`next_at`) so a server that died mid-send leaves it to be sent again, not lost.
 */
import { createHash } from 'node:crypto';
import type { Alert, AlertContext } from '../alerts/alert.js';
import type { BerthAlertEvent } from '../alerts/github-alert-events.js';
import { type Param, type Storage, storageAnswers } from './storage.js';

/** held: waiting for a deploy to end; released: its deliveries exist; suppressed: not sent (recovered during a deploy). */
export type AlertStatus = 'held' | 'released' | 'suppressed';
export type DeliveryState = 'pending' | 'sending' | 'delivered' | 'failed';

export interface StoredAlert extends Alert {
  readonly status: AlertStatus;
  readonly statusReason: string | null;
}

export interface Delivery {
  readonly id: string;
  readonly alertId: string;
  readonly channel: string;
  readonly state: DeliveryState;
  readonly attempts: number;
  /** Pending: when the next attempt is due. Sending: when the claim lapses. */
  readonly nextAt: string;
  readonly lastError: string | null;
  readonly lastAttemptAt: string | null;
  readonly deliveredAt: string | null;
  readonly createdAt: string;
}

type AlertRow = {
  id: string;
  alert_key: string;
  status: AlertStatus;
  status_reason: string | null;
  event: string;
  context: string;
  created_at: string;
};
type DeliveryRow = {
  id: string;
  alert_id: string;
  channel: string;
  state: DeliveryState;
  attempts: number | string;
  next_at: string;
  last_error: string | null;
  last_attempt_at: string | null;
  delivered_at: string | null;
  created_at: string;
};

const fromAlertRow = (row: AlertRow): StoredAlert => ({
  id: row.id,
  key: row.alert_key,
  event: JSON.parse(row.event) as BerthAlertEvent,
  context: JSON.parse(row.context) as AlertContext,
  createdAt: row.created_at,
  status: row.status,
  statusReason: row.status_reason,
});

const fromDeliveryRow = (row: DeliveryRow): Delivery => ({
  id: row.id,
  alertId: row.alert_id,
  channel: row.channel,
  state: row.state,
  attempts: Number(row.attempts),
  nextAt: row.next_at,
  lastError: row.last_error,
  lastAttemptAt: row.last_attempt_at,
  deliveredAt: row.delivered_at,
  createdAt: row.created_at,
});

/** The alert id for a key: the same on every server, so the insert is the arbiter. */
export const alertId = (key: string): string => createHash('sha256').update(key).digest('hex').slice(0, 24);

/** What an alert is about (a check, a backup, an environment, a workflow): for matching and filtering. */
export function subjectOf(event: BerthAlertEvent): string {
  switch (event.kind) {
    case 'check_down':
    case 'check_recovered':
      return event.check;
    case 'backup_failed':
    case 'backup_stale':
    case 'retention_failed':
      return event.backup;
    case 'deploy_failed':
      return event.environment;
    case 'workflow_failed':
      return event.workflow;
  }
}

export class AlertStore {
  constructor(private readonly storage: Storage) {}

  /** Stores the alert unless one with its key exists; true when this call stored it. */
  async insert(alert: Alert, status: AlertStatus, reason: string | null = null): Promise<boolean> {
    const rows = await this.storage.all(
      `INSERT INTO alerts (id, alert_key, kind, subject, status, status_reason, event, context, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
      [
        alert.id,
        alert.key,
        alert.event.kind,
        subjectOf(alert.event),
        status,
        reason,
        JSON.stringify(alert.event),
        JSON.stringify(alert.context),
        alert.createdAt,
      ],
    );
    return rows.length === 1;
  }

  /**
   * Moves a subject (`check:web`) to `state` for the alert `key`, unless it is in that state already;
   * true for the one caller that moved it, and again for that caller's retry (same key). Two servers
   * that saw the same change (each with its own times, so its own key) announce it once: PostgreSQL
   * makes the second upsert wait for the first and then finds the state already set.
   */
  async gate(subject: string, state: string, key: string, at: string): Promise<boolean> {
    const moved = await this.storage.all(
      `INSERT INTO alert_states (subject, state, alert_key, changed_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (subject) DO UPDATE SET state = excluded.state, alert_key = excluded.alert_key, changed_at = excluded.changed_at
       WHERE alert_states.state <> excluded.state
       RETURNING subject`,
      [subject, state, key, at],
    );
    if (moved.length === 1) return true;
    const [row] = await this.storage.all<{ alert_key: string }>('SELECT alert_key FROM alert_states WHERE subject = ?', [subject]);
    return row?.alert_key === key;
  }

  /** Whether the storage answers: an alert that cannot be stored while it does is dropped, not retried forever. */
  async reachable(): Promise<boolean> {
    return storageAnswers(this.storage);
  }

  /** One pending delivery per channel; repeating it adds nothing. */
  async addDeliveries(id: string, channels: readonly string[], at: string): Promise<void> {
    if (channels.length === 0) return;
    const values = channels.map(() => "(?, ?, ?, 'pending', 0, ?, ?)").join(', ');
    const params = channels.flatMap((channel): Param[] => [`${id}/${channel}`, id, channel, at, at]);
    await this.storage.run(
      `INSERT INTO alert_deliveries (id, alert_id, channel, state, attempts, next_at, created_at) VALUES ${values} ON CONFLICT DO NOTHING`,
      params,
    );
  }

  /** Moves an alert from `from` to `to`; true for the one caller that moved it. */
  async setStatus(id: string, from: AlertStatus, to: AlertStatus, reason: string | null): Promise<boolean> {
    const rows = await this.storage.all('UPDATE alerts SET status = ?, status_reason = ? WHERE id = ? AND status = ? RETURNING id', [
      to,
      reason,
      id,
      from,
    ]);
    return rows.length === 1;
  }

  async get(id: string): Promise<StoredAlert | undefined> {
    const [row] = await this.storage.all<AlertRow>('SELECT * FROM alerts WHERE id = ?', [id]);
    return row ? fromAlertRow(row) : undefined;
  }

  /** Held alerts, oldest first. */
  async held(): Promise<StoredAlert[]> {
    const rows = await this.storage.all<AlertRow>("SELECT * FROM alerts WHERE status = 'held' ORDER BY created_at");
    return rows.map(fromAlertRow);
  }

  /** The newest alert of a kind about a subject. */
  async latest(kind: BerthAlertEvent['kind'], subject: string): Promise<StoredAlert | undefined> {
    const [row] = await this.storage.all<AlertRow>('SELECT * FROM alerts WHERE kind = ? AND subject = ? ORDER BY created_at DESC LIMIT 1', [
      kind,
      subject,
    ]);
    return row ? fromAlertRow(row) : undefined;
  }

  /** Newest first. */
  async list(limit: number, kind?: string): Promise<StoredAlert[]> {
    const rows = kind
      ? await this.storage.all<AlertRow>('SELECT * FROM alerts WHERE kind = ? ORDER BY created_at DESC LIMIT ?', [kind, limit])
      : await this.storage.all<AlertRow>('SELECT * FROM alerts ORDER BY created_at DESC LIMIT ?', [limit]);
    return rows.map(fromAlertRow);
  }

  async deliveriesOf(alertIds: readonly string[]): Promise<Delivery[]> {
    if (alertIds.length === 0) return [];
    const rows = await this.storage.all<DeliveryRow>(
      `SELECT * FROM alert_deliveries WHERE alert_id IN (${alertIds.map(() => '?').join(', ')}) ORDER BY created_at`,
      alertIds,
    );
    return rows.map(fromDeliveryRow);
  }

  /** A channel's latest attempted deliveries, newest first. */
  async recentAttempts(channel: string, limit: number): Promise<Delivery[]> {
    const rows = await this.storage.all<DeliveryRow>(
      'SELECT * FROM alert_deliveries WHERE channel = ? AND last_attempt_at IS NOT NULL ORDER BY last_attempt_at DESC LIMIT ?',
      [channel, limit],
    );
    return rows.map(fromDeliveryRow);
  }

  /**
   * Claims the head of a channel's queue (its oldest unsettled delivery) when it is due: pending and
   * due, or sending with a lapsed claim. It becomes `sending` until `leaseUntil`, one more try counted.
   * Only the head is ever taken, so a channel gets its alerts in order (a down before its recovery)
   * even from several servers: while one server claims or posts the head, the others take nothing
   * (PostgreSQL: `FOR UPDATE SKIP LOCKED` on the head row, then the due check on its latest version).
   */
  async claim(channel: string, now: string, leaseUntil: string): Promise<Delivery | undefined> {
    const lock = this.storage.kind === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
    const [row] = await this.storage.all<DeliveryRow>(
      `UPDATE alert_deliveries SET state = 'sending', attempts = attempts + 1, next_at = ?, last_attempt_at = ?
       WHERE id = (SELECT id FROM alert_deliveries WHERE id = (
                     SELECT id FROM alert_deliveries WHERE channel = ? AND state IN ('pending', 'sending') ORDER BY created_at, id LIMIT 1
                   )${lock})
         AND state IN ('pending', 'sending') AND next_at <= ?
       RETURNING *`,
      [leaseUntil, now, channel, now],
    );
    return row ? fromDeliveryRow(row) : undefined;
  }

  /** Records the outcome of the attempt `claimed` made; nothing when the claim lapsed and another server took it. */
  async settle(
    claimed: Delivery,
    outcome: { state: 'delivered'; at: string } | { state: 'pending' | 'failed'; error: string; nextAt: string },
  ): Promise<void> {
    const sql =
      outcome.state === 'delivered'
        ? "UPDATE alert_deliveries SET state = 'delivered', delivered_at = ? WHERE id = ? AND state = 'sending' AND attempts = ?"
        : 'UPDATE alert_deliveries SET state = ?, last_error = ?, next_at = ? WHERE id = ? AND state = ? AND attempts = ?';
    const params: Param[] =
      outcome.state === 'delivered'
        ? [outcome.at, claimed.id, claimed.attempts]
        : [outcome.state, outcome.error, outcome.nextAt, claimed.id, 'sending', claimed.attempts];
    await this.storage.run(sql, params);
  }

  /** A claim given back unsent (the server is stopping): pending again, the attempt not counted. */
  async release(claimed: Delivery, at: string): Promise<void> {
    await this.storage.run(
      "UPDATE alert_deliveries SET state = 'pending', attempts = attempts - 1, next_at = ? WHERE id = ? AND state = 'sending' AND attempts = ?",
      [at, claimed.id, claimed.attempts],
    );
  }

  /** Claims no process holds any more: with SQLite (one process), every `sending` row at start. */
  async releaseAllClaims(at: string): Promise<number> {
    const rows = await this.storage.all(
      "UPDATE alert_deliveries SET state = 'pending', attempts = attempts - 1, next_at = ? WHERE state = 'sending' RETURNING id",
      [at],
    );
    return rows.length;
  }

  /** Deliveries to channels no longer configured are failed, so they do not wait forever. */
  async failOrphans(channels: readonly string[], at: string): Promise<number> {
    const known = channels.length > 0 ? `AND channel NOT IN (${channels.map(() => '?').join(', ')})` : '';
    const rows = await this.storage.all(
      `UPDATE alert_deliveries SET state = 'failed', last_error = 'the channel is no longer configured', next_at = ?
       WHERE state IN ('pending', 'sending') ${known} RETURNING id`,
      [at, ...channels],
    );
    return rows.length;
  }

  /** The earliest time a pending delivery is due, if any. */
  async nextDue(): Promise<string | undefined> {
    const [row] = await this.storage.all<{ next: string | null }>(
      "SELECT MIN(next_at) AS next FROM alert_deliveries WHERE state = 'pending'",
    );
    return row?.next ?? undefined;
  }

  /** Removes alerts (and their deliveries) created before `before`. */
  async prune(before: string): Promise<void> {
    await this.storage.run('DELETE FROM alert_deliveries WHERE alert_id IN (SELECT id FROM alerts WHERE created_at < ?)', [before]);
    await this.storage.run('DELETE FROM alerts WHERE created_at < ?', [before]);
  }
}
