/** GET /api/alerts's answer: each channel's state, and the latest alerts with each channel's delivery. */
import type { AlertStatus, AlertStore, Delivery, DeliveryState } from '../storage/alert-store.js';
import type { AlertChannel } from './channels/alert-channel.js';
import { alertMessage } from './alert-message.js';

export interface ChannelOverview {
  readonly id: string;
  readonly type: AlertChannel['type'];
  readonly label: string;
  readonly target: string;
  /** ok: the latest try delivered; retrying: it failed, another follows; failing: given up; idle: nothing sent yet. */
  readonly state: 'idle' | 'ok' | 'retrying' | 'failing';
  readonly lastDeliveredAt: string | null;
  readonly lastError: string | null;
  readonly lastErrorAt: string | null;
  /** Alerts given up in a row, newest first, until one was delivered. */
  readonly failedInRow: number;
}

export interface AlertOverview {
  readonly id: string;
  readonly kind: string;
  readonly severity: string;
  readonly title: string;
  readonly createdAt: string;
  readonly status: AlertStatus;
  readonly statusReason: string | null;
  /** held, suppressed, sending (some still pending), delivered (to every channel), failed (to some), or none (no channel). */
  readonly delivery: 'held' | 'suppressed' | 'sending' | 'delivered' | 'failed' | 'none';
  readonly event: unknown;
  readonly context: unknown;
  readonly deliveries: ReadonlyArray<{
    readonly channel: string;
    readonly label: string;
    readonly state: DeliveryState;
    readonly attempts: number;
    readonly lastError: string | null;
    readonly lastAttemptAt: string | null;
    readonly deliveredAt: string | null;
    readonly nextAttemptAt: string | null;
  }>;
}

const RECENT_ATTEMPTS = 50;

async function channelOverview(store: AlertStore, channel: AlertChannel): Promise<ChannelOverview> {
  // A try in flight says nothing yet: the state is the newest settled one's.
  const attempts = (await store.recentAttempts(channel.id, RECENT_ATTEMPTS)).filter((d) => d.state !== 'sending');
  const newest = attempts[0];
  const erred = attempts.find((d) => d.lastError !== null && d.state !== 'delivered');
  const firstGood = attempts.findIndex((d) => d.state === 'delivered');
  const failedInRow = (firstGood < 0 ? attempts : attempts.slice(0, firstGood)).filter((d) => d.state === 'failed').length;
  return {
    id: channel.id,
    type: channel.type,
    label: channel.label,
    target: channel.target,
    state: !newest ? 'idle' : newest.state === 'delivered' ? 'ok' : newest.state === 'failed' ? 'failing' : 'retrying',
    lastDeliveredAt: attempts.find((d) => d.deliveredAt)?.deliveredAt ?? null,
    lastError: erred?.lastError ?? null,
    lastErrorAt: erred?.lastAttemptAt ?? null,
    failedInRow,
  };
}

function deliveryOf(status: AlertStatus, deliveries: readonly Delivery[]): AlertOverview['delivery'] {
  if (status !== 'released') return status;
  if (deliveries.length === 0) return 'none';
  if (deliveries.some((d) => d.state === 'pending' || d.state === 'sending')) return 'sending';
  return deliveries.every((d) => d.state === 'delivered') ? 'delivered' : 'failed';
}

export async function alertsOverview(
  store: AlertStore,
  channels: readonly AlertChannel[],
  options: { limit: number; kind?: string | undefined },
): Promise<{ channels: ChannelOverview[]; alerts: AlertOverview[] }> {
  const alerts = await store.list(options.limit, options.kind);
  const deliveries = await store.deliveriesOf(alerts.map((a) => a.id));
  const label = (id: string): string => channels.find((c) => c.id === id)?.label ?? `${id} (no longer configured)`;
  return {
    channels: await Promise.all(channels.map((channel) => channelOverview(store, channel))),
    alerts: alerts.map((alert) => {
      const own = deliveries.filter((d) => d.alertId === alert.id);
      const message = alertMessage(alert);
      return {
        id: alert.id,
        kind: alert.event.kind,
        severity: message.severity,
        title: message.title,
        createdAt: alert.createdAt,
        status: alert.status,
        statusReason: alert.statusReason,
        delivery: deliveryOf(alert.status, own),
        event: alert.event,
        context: alert.context,
        deliveries: own.map((d) => ({
          channel: d.channel,
          label: label(d.channel),
          state: d.state,
          attempts: d.attempts,
          lastError: d.lastError,
          lastAttemptAt: d.lastAttemptAt,
          deliveredAt: d.deliveredAt,
          nextAttemptAt: d.state === 'pending' ? d.nextAt : null,
        })),
      };
    }),
  };
}
