/** `/`: the status page, public or behind the token (bearer header, or a session from the login form). */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { StatusPage, LoginPage } from '../status/status-page.js';
import { type StatusSources, statusSnapshot } from '../status/status-data.js';
import { endSession, hasSession, sameToken, startSession } from './session.js';

export interface StatusRoutesDeps {
  readonly sources: StatusSources;
  /** Without a token the server listens on 127.0.0.1 only, and the page is open there. */
  readonly apiToken: string | undefined;
  readonly visibility: 'public' | 'private';
  readonly host: string;
}

/**
 * The pages run no script and load nothing from elsewhere, so the policy says exactly that: a link
 * someone slipped into the history (a deploy's `javascript:` URL) runs nothing, and no other site
 * may frame the login form.
 */
const pageHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    styleSrc: ["'unsafe-inline'"],
    imgSrc: ['data:'],
    scriptSrc: ["'none'"],
    formAction: ["'self'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
  },
  referrerPolicy: 'no-referrer',
});

/** The login form holds the token alone: a bigger body is refused before it is read (it is open to anyone). */
export const LOGIN_MAX_BYTES = 64 * 1024;

const loginLimit = bodyLimit({
  maxSize: LOGIN_MAX_BYTES,
  onError: (c) => c.text(`The login form is over ${LOGIN_MAX_BYTES / 1024} KiB.`, 413),
});

export function statusRoutes(deps: StatusRoutesDeps): Hono {
  const routes = new Hono();
  const token = deps.visibility === 'private' ? deps.apiToken : undefined;
  for (const path of ['/', '/login', '/logout']) routes.use(path, pageHeaders);

  routes.get('/', async (c) => {
    // A browser is sent to the form (a 401 page would log a console error); scripts use the bearer header.
    if (token && !(await hasSession(c, token))) return c.redirect('/login', 303);
    c.header('Cache-Control', 'no-store');
    const snapshot = await statusSnapshot(deps.sources);
    return c.html(<StatusPage snapshot={snapshot} host={deps.host} canLogOut={token !== undefined} />);
  });

  routes.get('/login', (c) => (token ? c.html(<LoginPage host={deps.host} failed={false} />) : c.redirect('/', 303)));

  routes.post('/login', loginLimit, async (c) => {
    if (!token) return c.redirect('/', 303);
    const form = await c.req.parseBody();
    const given = typeof form.token === 'string' ? form.token : undefined;
    if (!sameToken(given, token)) return c.html(<LoginPage host={deps.host} failed />);
    await startSession(c, token);
    return c.redirect('/', 303);
  });

  routes.post('/logout', (c) => {
    endSession(c);
    return c.redirect('/', 303);
  });

  return routes;
}
