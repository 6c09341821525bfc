/**
 * The generic webhook's body, a documented and versioned contract (README → Alerts → The JSON
 * webhook): `version` changes only when a field changes meaning or goes away; fields may be added.
 */
import type { Alert } from '../alert.js';
import { type AlertMessage, plainText } from '../alert-message.js';

export const WEBHOOK_BODY_VERSION = 1;

export interface WebhookBody {
  readonly version: typeof WEBHOOK_BODY_VERSION;
  /** The alert's id: the same on every retry and on every server, so receivers can drop repeats. */
  readonly id: string;
  readonly severity: AlertMessage['severity'];
  readonly title: string;
  /** The whole message as plain text. */
  readonly text: string;
  readonly host: string;
  readonly created_at: string;
  /** The event as raised: `kind` names it (check_down, check_recovered, backup_failed, …), the other fields describe it. */
  readonly event: Alert['event'];
  readonly live_commit: string | null;
  readonly log_tail: { readonly service: string; readonly lines: string } | null;
  /** 0 for the alert itself, 1, 2, … for reminders of a still-down check. */
  readonly reminder: number;
}

export function webhookBody(message: AlertMessage, alert: Alert): WebhookBody {
  return {
    version: WEBHOOK_BODY_VERSION,
    id: alert.id,
    severity: message.severity,
    title: message.title,
    text: plainText(message),
    host: alert.context.host,
    created_at: alert.createdAt,
    event: alert.event,
    live_commit: alert.context.liveCommit ?? null,
    log_tail: alert.context.logTail ?? null,
    reminder: alert.context.reminder ?? 0,
  };
}
