/** Alert deliveries on the server's prom-client registry: by channel and result, and how long alerts took to leave. */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { AlertChannel } from './channels/alert-channel.js';

export interface AlertMetrics {
  delivered(channel: AlertChannel, secondsSinceRaised: number): void;
  /** A try failed; another follows. */
  retried(channel: AlertChannel): void;
  /** The last try failed: the delivery is given up. */
  failed(channel: AlertChannel): void;
}

export function alertMetrics(registry: Registry): AlertMetrics {
  const deliveries = new Counter({
    name: 'berth_alert_deliveries_total',
    help: 'Alert delivery tries by channel and result: delivered, retried (a try failed, another follows), failed (given up).',
    labelNames: ['channel', 'type', 'result'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'berth_alert_delivery_seconds',
    help: 'Seconds from an alert being raised to its delivery, by channel.',
    labelNames: ['channel', 'type'] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const count = (channel: AlertChannel, result: string): void => deliveries.inc({ channel: channel.label, type: channel.type, result });
  return {
    delivered: (channel, seconds) => {
      count(channel, 'delivered');
      latency.observe({ channel: channel.label, type: channel.type }, seconds);
    },
    retried: (channel) => count(channel, 'retried'),
    failed: (channel) => count(channel, 'failed'),
  };
}
