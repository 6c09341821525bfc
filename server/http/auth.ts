/** The API's bearer token, checked by Hono's bearerAuth (constant-time); 401 before any handler runs. */
import type { MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';

const MISSING = { error: 'Missing or wrong API token: send Authorization: Bearer <api-token>.' };

export function requireToken(token: string): MiddlewareHandler {
  return bearerAuth({
    token,
    realm: 'berth',
    noAuthenticationHeader: { message: MISSING },
    invalidAuthenticationHeader: { message: { error: 'Malformed Authorization header: send Authorization: Bearer <api-token>.' } },
    invalidToken: { message: MISSING },
  });
}
