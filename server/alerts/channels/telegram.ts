/**
 * Telegram's Bot API `sendMessage` with parse_mode HTML: bold labels, the error and the log lines in
 * <pre>, the link as <a>. Every value is HTML-escaped (Telegram rejects a message with a stray `<`).
 */
import type { AlertMessage } from '../alert-message.js';
import { keepEnd, keepStart } from '../alert-message.js';

const ICON = { critical: '🔴', warning: '⚠️', resolved: '🟢' } as const;

/** The escaping Telegram's HTML mode asks for: `&`, `<`, `>` and, in attributes, `"`. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The text of a message (Telegram allows 4,096 characters after entities are parsed; this stays well under). */
export function telegramHtml(message: AlertMessage): string {
  const lines = [`${ICON[message.severity]} <b>${escapeHtml(keepStart(message.title, 200))}</b>`];
  for (const f of message.facts) lines.push(`<b>${escapeHtml(f.label)}:</b> ${escapeHtml(keepStart(f.value, 300))}`);
  if (message.error) lines.push(`<b>Error:</b>`, `<pre>${escapeHtml(keepStart(message.error, 1200))}</pre>`);
  if (message.logTail)
    lines.push(
      `<b>Last log lines of ${escapeHtml(message.logTail.service)}:</b>`,
      `<pre>${escapeHtml(keepEnd(message.logTail.lines, 1500))}</pre>`,
    );
  if (message.link) lines.push(`<a href="${escapeHtml(message.link.url)}">${escapeHtml(message.link.label)}</a>`);
  return lines.join('\n');
}

export function telegramBody(message: AlertMessage, chatId: string): unknown {
  return { chat_id: chatId, text: telegramHtml(message), parse_mode: 'HTML', link_preview_options: { is_disabled: true } };
}
