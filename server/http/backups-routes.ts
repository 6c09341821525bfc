/** /api/backups: the catalog with each backup's freshness; starting one now (202, then poll its run). */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { BackupService } from '../backups/backup-service.js';
import type { BackupCatalog } from '../storage/backup-catalog.js';

export function backupsRoutes(service: BackupService, catalog: BackupCatalog): Hono {
  const routes = new Hono();

  routes.get('/', async (c) => {
    const name = c.req.query('name');
    return c.json({ backups: await service.overview(), catalog: await catalog.list(name) });
  });

  routes.get('/runs/:id', async (c) => {
    const entry = await catalog.get(c.req.param('id'));
    if (!entry)
      throw new HTTPException(404, { res: Response.json({ error: `There is no backup run '${c.req.param('id')}'.` }, { status: 404 }) });
    return c.json(entry);
  });

  // A dump of a large database outlasts proxies' timeouts: answer at once and let the client poll,
  // unless it asks to wait (?wait=true, the old behaviour: 201 or 500 with the entry).
  routes.post('/:name', async (c) => {
    const run = await service.start(c.req.param('name'), 'api');
    if (c.req.query('wait') === 'true') {
      const entry = await run.done;
      return c.json(entry, entry.status === 'succeeded' ? 201 : 500);
    }
    const poll = `/api/backups/runs/${run.id}`;
    c.header('Location', poll);
    return c.json({ id: run.id, name: c.req.param('name'), status: 'running', poll }, 202);
  });

  return routes;
}
