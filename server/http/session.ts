/**
 * Who may see a private status page: the bearer token (like /api), or a session cookie that the
 * login form sets. The cookie is signed with the API token (HMAC), holds only its expiry, and
 * stops working when the token changes.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';

const COOKIE = 'berth_session';
const SESSION_MS = 30 * 86_400_000;

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Compares digests in constant time, so neither the token's length nor its content leaks through timing. */
export function sameToken(given: string | undefined, expected: string): boolean {
  return given !== undefined && timingSafeEqual(digest(given), digest(expected));
}

function bearer(c: Context): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim();
}

export async function hasSession(c: Context, token: string, now = Date.now()): Promise<boolean> {
  if (sameToken(bearer(c), token)) return true;
  const expires = Number(await getSignedCookie(c, token, COOKIE));
  return Number.isFinite(expires) && expires > now;
}

export async function startSession(c: Context, token: string, now = Date.now()): Promise<void> {
  await setSignedCookie(c, COOKIE, String(now + SESSION_MS), token, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    maxAge: SESSION_MS / 1000,
    secure: new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https',
  });
}

export function endSession(c: Context): void {
  deleteCookie(c, COOKIE, { path: '/' });
}
