/** /api/deployments: the deployment history GitHub's deployment_status deliveries recorded, newest first. */
import { Hono } from 'hono';
import type { DeploymentStore } from '../storage/deployment-store.js';
import { limitParam } from './query-params.js';

export function deploymentsRoutes(deployments: DeploymentStore): Hono {
  const routes = new Hono();
  routes.get('/', async (c) => {
    const list = await deployments.recent(limitParam(c.req.query('limit'), 50), c.req.query('environment'));
    const environments = new Map<string, (typeof list)[number]>();
    for (const deployment of list) if (!environments.has(deployment.environment)) environments.set(deployment.environment, deployment);
    return c.json({
      environments: [...environments.values()].map((d) => ({
        environment: d.environment,
        state: d.state,
        sha: d.sha,
        ref: d.ref,
        at: d.updatedAt,
      })),
      deployments: list,
    });
  });
  return routes;
}
