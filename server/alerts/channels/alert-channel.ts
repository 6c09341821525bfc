/**
 * A configured channel: a stable id (kept in the outbox across restarts and config reorders), a
 * label for people, where it posts (without its secret), and the HTTP request an alert becomes.
 */
import { createHash } from 'node:crypto';
import type { AlertChannelConfig } from '../../config/server-config.js';
import type { Alert } from '../alert.js';
import { alertMessage } from '../alert-message.js';
import { discordBody } from './discord.js';
import { webhookBody } from './json-webhook.js';
import { slackBody } from './slack.js';
import { telegramBody } from './telegram.js';

export type ChannelType = AlertChannelConfig['type'];

export interface ChannelRequest {
  readonly url: string;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

export interface AlertChannel {
  /** `slack-1f2e3d4c`: the type and a digest of where it posts, so it survives reordering the config. */
  readonly id: string;
  readonly type: ChannelType;
  /** `slack #1`: the type and its position among the channels of that type. */
  readonly label: string;
  /** Where it posts, for people: the host only, since the rest of a webhook URL is its secret. */
  readonly target: string;
  request(alert: Alert): ChannelRequest;
}

const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 8);

const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
  }
};

function requestFor(config: AlertChannelConfig, alert: Alert): ChannelRequest {
  const message = alertMessage(alert);
  switch (config.type) {
    case 'slack':
      return { url: config.url, body: slackBody(message), headers: {} };
    case 'discord':
      return { url: config.url, body: discordBody(message, alert), headers: {} };
    case 'telegram':
      return { url: `${config.apiUrl}/bot${config.token}/sendMessage`, body: telegramBody(message, config.chatId), headers: {} };
    case 'webhook':
      return {
        url: config.url,
        body: webhookBody(message, alert),
        headers: { 'x-berth-event': alert.event.kind, 'x-berth-alert': alert.id },
      };
  }
}

/** The channels of `alerts:`, in config order. */
export function createChannels(configs: readonly AlertChannelConfig[]): AlertChannel[] {
  const seen = new Map<ChannelType, number>();
  return configs.map((config) => {
    const n = (seen.get(config.type) ?? 0) + 1;
    seen.set(config.type, n);
    const where = config.type === 'telegram' ? `${config.apiUrl}|${config.token}|${config.chatId}` : config.url;
    return {
      id: `${config.type}-${digest(where)}`,
      type: config.type,
      label: `${config.type} #${n}`,
      target: config.type === 'telegram' ? `${hostOf(config.apiUrl)} chat ${config.chatId}` : hostOf(config.url),
      request: (alert) => requestFor(config, alert),
    };
  });
}
