/** /api/checks: each check's state and recent results; running one now. */
import { Hono } from 'hono';
import type { CheckService } from '../checks/check-service.js';

/** Results per check in the list; one check's page shows more. */
const LIST_HISTORY = 20;
const ONE_HISTORY = 200;

export function checksRoutes(service: CheckService): Hono {
  const routes = new Hono();

  routes.get('/', async (c) => c.json({ checks: await service.overview(LIST_HISTORY) }));

  routes.get('/:name', async (c) => {
    const name = c.req.param('name');
    service.config(name); // 404 for an unknown name
    const [check] = await service.overview(ONE_HISTORY, name);
    return c.json({ check, events: await service.events(name, 50) });
  });

  routes.post('/:name/run', async (c) => {
    const run = await service.run(c.req.param('name'));
    return c.json({
      check: run.check,
      result: run.result,
      health: run.state.health,
      since: run.state.since,
      changed: run.transition ?? null,
    });
  });

  return routes;
}
