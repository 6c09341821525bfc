/** /api/alerts: each channel's state and the latest alerts with their deliveries. */
import { Hono } from 'hono';
import type { Alerting } from '../alerts/alerting.js';
import { alertsOverview } from '../alerts/alerts-overview.js';
import { limitParam } from './query-params.js';

export function alertsRoutes(alerting: Alerting): Hono {
  const routes = new Hono();
  routes.get('/', async (c) =>
    c.json(
      await alertsOverview(alerting.store, alerting.channels, { limit: limitParam(c.req.query('limit'), 50), kind: c.req.query('kind') }),
    ),
  );
  return routes;
}
