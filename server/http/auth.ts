/** Bearer-token check for /api: constant-time, and 401 for anything but the exact token. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Compares digests, so neither the token's length nor its content leaks through timing. */
export function tokenMatches(given: string | undefined, expected: string): boolean {
  return given !== undefined && timingSafeEqual(digest(given), digest(expected));
}

export function requireToken(token: string): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const given = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    if (!tokenMatches(given, token)) {
      c.header('WWW-Authenticate', 'Bearer realm="berth"');
      return c.json({ error: 'Missing or wrong API token: send Authorization: Bearer <api-token>.' }, 401);
    }
    await next();
  };
}
