/**
 * POST /webhooks/github: GitHub's deliveries, verified with @octokit/webhooks against the raw body
 * and the configured secret before anything is read or stored. No secret configured: 404 (unsigned
 * deliveries are never accepted). Missing or wrong signature: 401. Over 5 MB: 413. A signed body
 * that is not JSON, or lacks what its event must have: 400. Anything else: 200 with what was done.
 */
import { Webhooks } from '@octokit/webhooks';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { describeError } from '../../core/errors.js';
import { type GithubEvents, PayloadError } from './github-events.js';

/** GitHub caps deliveries at 25 MB; berth reads the events it acts on, which are far smaller. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

export function githubWebhookRoutes(secret: string | undefined, events: GithubEvents): Hono {
  const routes = new Hono();
  if (!secret) {
    routes.post('/github', (c) =>
      c.json(
        { error: 'This server accepts no GitHub deliveries: set github.webhook-secret in berth.yml to enable /webhooks/github.' },
        404,
      ),
    );
    return routes;
  }
  const webhooks = new Webhooks({ secret });
  const tooLarge = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => c.json({ error: `The body is over ${MAX_BODY_BYTES / 1024 / 1024} MB.` }, 413),
  });

  routes.post('/github', tooLarge, async (c) => {
    const signature = c.req.header('x-hub-signature-256');
    const body = await c.req.text();
    const valid = signature ? await webhooks.verify(body, signature).catch(() => false) : false;
    if (!valid)
      return c.json(
        { error: `${signature ? 'Wrong' : 'Missing'} signature: X-Hub-Signature-256 must be the body's HMAC with the webhook secret.` },
        401,
      );
    const name = c.req.header('x-github-event');
    const id = c.req.header('x-github-delivery');
    if (!name || !id) return c.json({ error: `Missing header ${name ? 'X-GitHub-Delivery' : 'X-GitHub-Event'}.` }, 400);
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch (error) {
      return c.json({ error: `The body is not valid JSON: ${describeError(error)}` }, 400);
    }
    try {
      return c.json({ delivery: id, event: name, ...(await events.handle({ id, name, payload })) });
    } catch (error) {
      if (error instanceof PayloadError) return c.json({ error: describeError(error) }, 400);
      throw error;
    }
  });
  return routes;
}
