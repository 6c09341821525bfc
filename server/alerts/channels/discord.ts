/**
 * Discord webhooks: one embed coloured by severity, the facts as inline fields, the error and the
 * log lines in code blocks, the link as the embed's URL. Mentions are switched off, so an
 * `@everyone` in a log line pings nobody.
 */
import type { Alert } from '../alert.js';
import type { AlertMessage } from '../alert-message.js';
import { keepEnd, keepStart } from '../alert-message.js';

const COLOR = { critical: 0xd1242f, warning: 0xbf8700, resolved: 0x1a7f37 } as const;

/** Backslash-escapes Discord's markdown in plain values. */
export function escapeDiscord(text: string): string {
  return text.replace(/([\\*_~`|>#[\]()-])/g, '\\$1');
}

const code = (text: string, max: number, keep: typeof keepEnd): string => `\`\`\`\n${keep(text, max).replace(/```/g, '`\u200b``')}\n\`\`\``;

/** The body for a Discord webhook (limits: title 256, description 4,096, field value 1,024, 25 fields). */
export function discordBody(message: AlertMessage, alert: Alert): unknown {
  const parts: string[] = [];
  if (message.error) parts.push(`**Error**\n${code(message.error, 1500, keepStart)}`);
  if (message.logTail)
    parts.push(`**Last log lines of ${escapeDiscord(message.logTail.service)}**\n${code(message.logTail.lines, 2200, keepEnd)}`);
  // A `)` would end the link early, and what follows it would be read as markdown.
  if (message.link) parts.push(`[${escapeDiscord(message.link.label)}](${message.link.url.replace(/\(/g, '%28').replace(/\)/g, '%29')})`);
  return {
    username: 'berth',
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: keepStart(message.title, 256),
        color: COLOR[message.severity],
        ...(parts.length > 0 ? { description: parts.join('\n') } : {}),
        ...(message.link ? { url: message.link.url } : {}),
        fields: message.facts
          .slice(0, 25)
          .map((f) => ({ name: keepStart(f.label, 256), value: keepStart(escapeDiscord(f.value), 1024), inline: true })),
        timestamp: alert.createdAt,
        footer: { text: `berth on ${keepStart(alert.context.host, 200)}` },
      },
    ],
  };
}
