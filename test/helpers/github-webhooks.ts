/** Real GitHub webhook payloads (@octokit/webhooks-examples) and deliveries signed the way GitHub signs them. */
import { createHmac, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

type Example = Record<string, unknown>;
const definitions = createRequire(import.meta.url)('@octokit/webhooks-examples') as Array<{ name: string; examples: Example[] }>;

/** A copy of the first example of an event that `pick` accepts. */
export function example(event: string, pick: (payload: Example) => boolean = () => true): Example {
  const found = definitions.find((d) => d.name === event)?.examples.find(pick);
  if (!found) throw new Error(`@octokit/webhooks-examples has no ${event} example like that`);
  return structuredClone(found);
}

/** GitHub's X-Hub-Signature-256: the body's HMAC-SHA256 with the webhook secret. */
export const signature = (secret: string, body: string): string => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export interface Delivery {
  readonly id: string;
  readonly body: string;
  readonly headers: Record<string, string>;
}

/** A delivery as GitHub posts it: the event name, a delivery id, JSON, signed with `secret` (unsigned when undefined). */
export function delivery(event: string, payload: unknown, secret: string | undefined, id: string = randomUUID()): Delivery {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return {
    id,
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': id,
      'user-agent': 'GitHub-Hookshot/test',
      ...(secret === undefined ? {} : { 'x-hub-signature-256': signature(secret, body) }),
    },
  };
}

/** A deployment_status payload from the examples, set to this status id, state and environment. */
export function deploymentStatus(statusId: number, state: string, environment = 'production', deploymentId = 145988746): Example {
  const payload = example('deployment_status', (p) => (p.deployment_status as { environment?: string }).environment === 'production');
  const status = payload.deployment_status as Record<string, unknown>;
  Object.assign(status, { id: statusId, state, environment, created_at: new Date().toISOString() });
  Object.assign(payload.deployment as Record<string, unknown>, { id: deploymentId, environment });
  return payload;
}
