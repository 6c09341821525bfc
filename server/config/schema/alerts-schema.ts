/** `alerts:` and `github:` — where alerts go, and the secret GitHub signs webhook deliveries with. */
import { z } from 'zod';
import type { AlertChannelConfig, GithubConfig } from '../server-config.js';
import { SERVER_DEFAULTS } from '../server-config.js';
import { httpUrl, list, section, text, typeError } from './primitives.js';

const slack = section({ type: z.literal('slack'), url: httpUrl('the Slack incoming-webhook URL') });
const discord = section({ type: z.literal('discord'), url: httpUrl('the Discord webhook URL') });
const webhook = section({ type: z.literal('webhook'), url: httpUrl('receives a versioned JSON body by POST') });
const telegram = section({
  type: z.literal('telegram'),
  token: text.describe('the bot token from @BotFather'),
  'chat-id': text.describe('the chat, group or channel id (quote negative ids: "-100123")'),
  'api-url': httpUrl('the Bot API base URL, for tests and proxies').default(SERVER_DEFAULTS.telegramApiUrl),
});

const TYPES = 'slack, discord, telegram or webhook';

const channel = z
  .discriminatedUnion('type', [slack, discord, telegram, webhook], { error: typeError(TYPES) })
  .transform((c): AlertChannelConfig =>
    c.type === 'telegram' ? { type: c.type, token: c.token, chatId: c['chat-id'], apiUrl: c['api-url'].replace(/\/+$/, '') } : c,
  );

export const alertsSchema = list(channel, 'chat channels and webhooks that alerts go to').default([]);

export const githubSchema = section({
  'webhook-secret': text.optional().describe('the secret of the repository webhook; without it /webhooks/github answers 404'),
})
  .default({})
  .transform((g): GithubConfig => ({ webhookSecret: g['webhook-secret'] }));
