/** The Hono app: /healthz (open), the status page, /metrics, /api behind a bearer token, errors as JSON in one place. */
import { Hono } from 'hono';
import { hostname } from 'node:os';
import type { Registry } from 'prom-client';
import { HTTPException } from 'hono/http-exception';
import { BerthError, describeError } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { BackupService } from '../backups/backup-service.js';
import type { CheckService } from '../checks/check-service.js';
import { BusyError, NotFoundError } from '../server-errors.js';
import type { Alerting } from '../alerts/alerting.js';
import type { BackupCatalog } from '../storage/backup-catalog.js';
import { githubWebhookRoutes } from '../webhooks/github-webhook-routes.js';
import { alertsRoutes } from './alerts-routes.js';
import { requireToken } from './auth.js';
import { backupsRoutes } from './backups-routes.js';
import { checksRoutes } from './checks-routes.js';
import { deploymentsRoutes } from './deployments-routes.js';
import { statusRoutes } from './status-routes.js';
import type { RecentDeploys } from '../status/status-data.js';

export interface AppDeps {
  /** Without a token the API is open, and the server listens on 127.0.0.1 only. */
  readonly apiToken: string | undefined;
  readonly backups: BackupService;
  readonly catalog: BackupCatalog;
  readonly checks: CheckService;
  readonly logger: Logger;
  /** Who may see `/`: everyone, or holders of the API token. Default private. */
  readonly statusPage?: 'public' | 'private';
  /** The name the status page shows. */
  readonly host?: string;
  /** Served at /metrics (behind the API token when there is one). */
  readonly metrics?: Registry;
  /** Recent deploys for the status page, once deployments are recorded. */
  readonly deploys?: RecentDeploys;
  /** Alerts and GitHub webhooks; without them their routes are not mounted. */
  readonly alerting?: Alerting | undefined;
  /** github.webhook-secret; without one /webhooks/github answers 404. */
  readonly webhookSecret?: string | undefined;
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.route(
    '/',
    statusRoutes({
      sources: { checks: deps.checks, backups: deps.backups, catalog: deps.catalog, deploys: deps.deploys },
      apiToken: deps.apiToken,
      visibility: deps.statusPage ?? 'private',
      host: deps.host ?? hostname(),
    }),
  );
  const metrics = deps.metrics;
  if (metrics) {
    if (deps.apiToken) app.use('/metrics', requireToken(deps.apiToken));
    app.get('/metrics', async (c) => c.body(await metrics.metrics(), 200, { 'Content-Type': metrics.contentType }));
  }

  const api = new Hono();
  // A missing or wrong token gets 401 before any handler runs.
  if (deps.apiToken) api.use('*', requireToken(deps.apiToken));
  api.route('/backups', backupsRoutes(deps.backups, deps.catalog));
  api.route('/checks', checksRoutes(deps.checks));
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
    if (error instanceof NotFoundError) return c.json({ error: describeError(error) }, 404);
    if (error instanceof BusyError) return c.json({ error: describeError(error) }, 409);
    deps.logger.error(`${c.req.method} ${c.req.path}: ${describeError(error)}`);
    return c.json({ error: error instanceof BerthError ? describeError(error) : 'Internal error; see the server log.' }, 500);
  });
  return app;
}
