/**
 * Posts one alert to one channel: JSON by POST, a timeout, the answer read bounded. Anything but a
 * 2xx is a DeliveryError saying what the service answered; a 429's Retry-After is kept for the retry.
 */
import { BerthError } from '../../../core/errors.js';
import { reason } from '../../checks/check-outcome.js';
import type { ChannelRequest } from './alert-channel.js';

export class DeliveryError extends BerthError {
  override readonly name = 'DeliveryError';
  constructor(
    message: string,
    /** The service asked to wait this long (HTTP 429 Retry-After). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** How much of an error answer is kept: enough for Slack's `invalid_payload` or Telegram's description. */
const ANSWER_KEPT = 300;

async function answerText(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const decoder = new TextDecoder();
  let text = '';
  while (text.length < ANSWER_KEPT) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel().catch(() => undefined); // the rest is not needed; the connection may go
  return text.replace(/\s+/g, ' ').trim().slice(0, ANSWER_KEPT);
}

/** A Retry-After header in milliseconds from `now`: delay-seconds, or an HTTP date (RFC 9110); undefined when neither. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000;
  const at = /[a-z]/i.test(value) ? Date.parse(value) : NaN; // a date names its day and month (Date.parse takes '-5' as a year)
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** Sends the request; resolves when the service took it, rejects with a DeliveryError otherwise. */
export async function postAlert(request: ChannelRequest, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const timeout = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'berth', ...request.headers },
      body: JSON.stringify(request.body),
      redirect: 'error',
      signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
    });
  } catch (error) {
    throw new DeliveryError(reason(error, timeoutMs));
  }
  if (response.ok) {
    await response.body?.cancel().catch(() => undefined);
    return;
  }
  const answer = await answerText(response).catch(() => '');
  throw new DeliveryError(
    `HTTP ${response.status}${answer ? `: ${answer}` : ''}`,
    response.status === 429 ? retryAfterMs(response.headers.get('retry-after')) : undefined,
  );
}
