/** An alert as the outbox stores it and the channels read it: the event, redacted, with what the server knew then. */
import type { BerthAlertEvent } from './github-alert-events.js';

export interface LogTail {
  readonly service: string;
  readonly lines: string;
}

/** What the server adds to an event when it raises the alert. */
export interface AlertContext {
  /** The server's host name: where it happened. */
  readonly host: string;
  /** The commit that runs now: berth's last good release in the app's folder, or GitHub's last successful deployment. */
  readonly liveCommit?: string | undefined;
  /** A still-down check's reminder: the how-manieth (1, 2, …). */
  readonly reminder?: number | undefined;
  /** A failed deploy: the step and error berth recorded in the release history on this host. */
  readonly releaseError?: string | undefined;
  /** The last log lines of the failing service (compose checks, deploys). */
  readonly logTail?: LogTail | undefined;
}

export interface Alert {
  /** Stable for one state change on every server: derived from `key`. */
  readonly id: string;
  /** What makes two raises the same alert: `check_down:web:<since>`. */
  readonly key: string;
  readonly event: BerthAlertEvent;
  readonly context: AlertContext;
  readonly createdAt: string;
}

export type Severity = 'critical' | 'warning' | 'resolved';

export function severityOf(event: BerthAlertEvent): Severity {
  switch (event.kind) {
    case 'check_recovered':
      return 'resolved';
    case 'backup_stale':
    case 'retention_failed':
    case 'workflow_failed':
      return 'warning';
    default:
      return 'critical';
  }
}

/** The key of a check's down alert: one per check and time it went down. */
export const downKey = (check: string, since: string): string => `check_down:${check}:${since}`;

/** The key that makes an alert idempotent: the same state change raised twice (two servers, a retry) is one alert. */
export function alertKey(event: BerthAlertEvent, reminder?: number): string {
  switch (event.kind) {
    case 'check_down':
      return `${downKey(event.check, event.since)}${reminder ? `:reminder:${reminder}` : ''}`;
    case 'check_recovered':
      return `check_recovered:${event.check}:${event.since}`;
    case 'backup_failed':
      return `backup_failed:${event.backup}:${event.runId}`;
    case 'backup_stale':
      // Stale once per newest good backup: it alerts again only after a new good backup went stale too.
      return `backup_stale:${event.backup}:${event.lastGoodAt ?? 'never'}`;
    case 'retention_failed':
      return `retention_failed:${event.backup}:${event.at}`;
    case 'deploy_failed':
      return `deploy_failed:${event.repository}:${event.statusId}`;
    case 'workflow_failed':
      return `workflow_failed:${event.repository}:${event.runId}:${event.attempt}`;
  }
}
