/**
 * Slack incoming webhooks: Block Kit with mrkdwn (a header, the facts as fields, the error and the
 * log lines in code blocks, the link), and `text` as the notification's fallback. Slack reads `&`,
 * `<` and `>` as markup, so every value is escaped, even inside code blocks.
 */
import type { AlertMessage } from '../alert-message.js';
import { keepEnd, keepStart } from '../alert-message.js';

const ICON = { critical: ':red_circle:', warning: ':warning:', resolved: ':large_green_circle:' } as const;

/** Slack's mrkdwn escaping. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A code block that its content cannot close early. */
const code = (text: string, max: number, keep: typeof keepEnd): string =>
  `\`\`\`${escapeMrkdwn(keep(text, max)).replace(/```/g, '`\u200b``')}\`\`\``;

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

/** The body for a Slack incoming webhook (limits: header 150, field 2,000, section 3,000 characters, 10 fields). */
export function slackBody(message: AlertMessage): unknown {
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: keepStart(message.title, 150), emoji: true } },
    {
      type: 'section',
      fields: message.facts
        .slice(0, 10)
        .map((f) => ({ type: 'mrkdwn', text: `*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(keepStart(f.value, 1900))}` })),
    },
  ];
  if (message.error) blocks.push(section(`*Error*\n${code(message.error, 2800, keepStart)}`));
  if (message.logTail)
    blocks.push(section(`*Last log lines of ${escapeMrkdwn(message.logTail.service)}*\n${code(message.logTail.lines, 2800, keepEnd)}`));
  // `|` would end the URL and start a label of the sender's choosing; `&` is escaped as in any text.
  if (message.link) blocks.push(section(`<${escapeMrkdwn(message.link.url).replace(/\|/g, '%7C')}|${escapeMrkdwn(message.link.label)}>`));
  return { text: `${ICON[message.severity]} ${escapeMrkdwn(message.title)}`, blocks };
}
