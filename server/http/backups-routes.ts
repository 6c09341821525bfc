/** /api/backups: the catalog with each backup's freshness, and running one now. */
import { Hono } from 'hono';
import type { BackupService } from '../backups/backup-service.js';
import type { BackupCatalog } from '../storage/backup-catalog.js';

export function backupsRoutes(service: BackupService, catalog: BackupCatalog): Hono {
  const routes = new Hono();

  routes.get('/', async (c) => {
    const name = c.req.query('name');
    return c.json({ backups: await service.overview(), catalog: await catalog.list(name) });
  });

  routes.post('/:name', async (c) => {
    const entry = await service.run(c.req.param('name'), 'api');
    return c.json(entry, entry.status === 'succeeded' ? 201 : 500);
  });

  return routes;
}
