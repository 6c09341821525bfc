/**
 * `type: http`: a GET that must answer an accepted status (default any 2xx) and, with `contains`,
 * hold that text within the first MAX_BODY_BYTES of its body. Redirects are the answer unless
 * `follow-redirects`. The body is never read whole: a target answering 50 MB costs at most 1 MB.
 */
import type { HttpCheckConfig } from '../config/server-config.js';
import { type CheckOutcome, failed, passed, type Probe, reason, shownUrl } from './check-outcome.js';

export const MAX_BODY_BYTES = 1024 * 1024;

/** Whether the status is one the check accepts. */
export function statusAccepted(status: number, accepted: readonly number[] | undefined): boolean {
  return accepted ? accepted.includes(status) : status >= 200 && status < 300;
}

/** Reads at most `limit` bytes of a body and says whether `text` is in them; the rest is never fetched. */
async function bodyContains(body: ReadableStream<Uint8Array> | null, text: string, limit: number): Promise<boolean> {
  if (!body) return false;
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let seen = '';
  let bytes = 0;
  try {
    while (bytes < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = limit - bytes;
      const chunk = value.byteLength > room ? value.subarray(0, room) : value;
      bytes += chunk.byteLength;
      seen += decoder.decode(chunk, { stream: true });
      if (seen.includes(text)) return true;
      // Keep only a tail long enough for a match that straddles two chunks.
      if (seen.length > text.length * 2 + 65_536) seen = seen.slice(-text.length);
    }
    return seen.includes(text);
  } finally {
    await reader.cancel().catch(() => undefined); // the rest of the body is not wanted; closing may race the end
  }
}

export const httpProbe: Probe<HttpCheckConfig> = async (config, signal): Promise<CheckOutcome> => {
  const where = shownUrl(config.url);
  let response: Response;
  try {
    response = await fetch(config.url, {
      signal,
      redirect: config.followRedirects ? 'follow' : 'manual',
      headers: { 'user-agent': 'berth-check' },
    });
  } catch (error) {
    return failed(`${where}: ${reason(error, config.timeoutMs)}`);
  }
  const status = response.status;
  if (!statusAccepted(status, config.status)) {
    await response.body?.cancel().catch(() => undefined); // not read: only the status mattered
    const expected = config.status ? config.status.join(' or ') : 'a 2xx status';
    const location = response.headers.get('location');
    return failed(`${where} answered ${status}${location ? ` (redirect to ${location})` : ''}, expected ${expected}`, { status });
  }
  if (config.contains === undefined) {
    await response.body?.cancel().catch(() => undefined);
    return passed;
  }
  try {
    if (await bodyContains(response.body, config.contains, MAX_BODY_BYTES)) return passed;
  } catch (error) {
    return failed(`${where}: reading the body: ${reason(error, config.timeoutMs)}`, { status });
  }
  return failed(
    `${where} answered ${status}, but the first ${MAX_BODY_BYTES / 1024} KB do not contain ${JSON.stringify(config.contains)}`,
    {
      status,
    },
  );
};
