/** The Hono app: /healthz (open), /api behind a bearer token, errors as JSON in one place. */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { BerthError, describeError } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import { BackupBusyError, type BackupService, UnknownBackupError } from '../backups/backup-service.js';
import type { Alerting } from '../alerts/alerting.js';
import type { BackupCatalog } from '../storage/backup-catalog.js';
import { githubWebhookRoutes } from '../webhooks/github-webhook-routes.js';
import { alertsRoutes } from './alerts-routes.js';
import { requireToken } from './auth.js';
import { backupsRoutes } from './backups-routes.js';
import { deploymentsRoutes } from './deployments-routes.js';

export interface AppDeps {
  /** Without a token the API is open, and the server listens on 127.0.0.1 only. */
  readonly apiToken: string | undefined;
  readonly backups: BackupService;
  readonly catalog: BackupCatalog;
  /** Alerts and GitHub webhooks; without them their routes are not mounted. */
  readonly alerting?: Alerting | undefined;
  /** github.webhook-secret; without one /webhooks/github answers 404. */
  readonly webhookSecret?: string | undefined;
  readonly logger: Logger;
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  const api = new Hono();
  // A missing or wrong token gets 401 before any handler runs.
  if (deps.apiToken) api.use('*', requireToken(deps.apiToken));
  api.route('/backups', backupsRoutes(deps.backups, deps.catalog));
  if (deps.alerting) {
    api.route('/alerts', alertsRoutes(deps.alerting));
    api.route('/deployments', deploymentsRoutes(deps.alerting.deployments));
    // Signed by GitHub instead of the API token.
    app.route('/webhooks', githubWebhookRoutes(deps.webhookSecret, deps.alerting.github));
  }
  app.route('/api', api);

  app.notFound((c) => c.json({ error: `No route for ${c.req.method} ${c.req.path}.` }, 404));
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    if (error instanceof UnknownBackupError) return c.json({ error: describeError(error) }, 404);
    if (error instanceof BackupBusyError) return c.json({ error: describeError(error) }, 409);
    deps.logger.error(`${c.req.method} ${c.req.path}: ${describeError(error)}`);
    return c.json({ error: error instanceof BerthError ? describeError(error) : 'Internal error; see the server log.' }, 500);
  });
  return app;
}
