/**
 * Every value of berth.yml that must never reach a log line, an alert or an API answer: the API
 * token, the webhook secret, URL passwords (as written and decoded), Telegram tokens, and alert
 * channel URLs with the parts of them that are their secret (a service that echoes the path it
 * was posted to, "Cannot POST /services/T…/B…/<secret>", must not leak a Slack or Discord token).
 */
import { urlSecrets } from '../../core/redact.js';
import type { ServerConfig } from './server-config.js';

/** Path segments and query values this long are taken for tokens: Slack's 24 characters, Discord's 68, an `?key=`. */
const TOKEN_LENGTH = 16;

const decoded = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/** A channel URL, and each long path segment and query value of it, as written and decoded. */
export function channelUrlSecrets(text: string): string[] {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return [text];
  }
  const parts = [...url.pathname.split('/'), ...[...url.searchParams.values()]].filter((part) => part.length >= TOKEN_LENGTH);
  return [...new Set([text, ...urlSecrets(text), ...parts, ...parts.map(decoded)])];
}

export function configSecrets(config: ServerConfig): string[] {
  return [
    ...[config.apiToken, config.github.webhookSecret].filter((value): value is string => value !== undefined),
    ...(config.storage.kind === 'postgres' ? urlSecrets(config.storage.url) : []),
    ...config.backups.flatMap((b) => (b.source.kind === 'url' ? urlSecrets(b.source.url) : [])),
    ...config.checks.flatMap((c) => (c.type === 'postgres' || c.type === 'http' ? urlSecrets(c.url) : [])),
    ...config.alerts.flatMap((a) => (a.type === 'telegram' ? [a.token] : channelUrlSecrets(a.url))),
  ];
}
