/** `berth server`: config → storage → backups, checks and their schedule → HTTP, with a graceful stop on SIGTERM. */
import { serve } from '@hono/node-server';
import { parseArgs } from 'node:util';
import { describeError } from '../core/errors.js';
import type { AlertSink } from './alerts/alert-events.js';
import { createAlerting } from './alerts/alerting.js';
import { checkHealth, composeLogTail } from './alerts/check-health.js';
import { backupJobs } from './backups/backup-jobs.js';
import { BackupService } from './backups/backup-service.js';
import { checkJobs } from './checks/check-jobs.js';
import { CheckService } from './checks/check-service.js';
import { configSecrets } from './config/config-secrets.js';
import { loadConfig } from './config/load-config.js';
import { createApp } from './http/app.js';
import { jsonLogger } from './log/json-logger.js';
import { createMetrics } from './metrics/metrics.js';
import { scheduleJobs } from './schedule/cron-jobs.js';
import { BackupCatalog } from './storage/backup-catalog.js';
import { CheckStore } from './storage/check-store.js';
import { openStorage, storageAnswers } from './storage/storage.js';
import { storageClock } from './storage/storage-clock.js';
import { StorageTickClaimer } from './storage/tick-claims.js';

/** How long running backups get to finish after SIGTERM before they are stopped and cleaned up. */
const SHUTDOWN_GRACE_MS = 60_000;

export interface RunningServer {
  readonly port: number;
  readonly hostname: string;
  stop(): Promise<void>;
}

export async function startServer(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<RunningServer> {
  const { values } = parseArgs({ args: [...argv], options: { config: { type: 'string', short: 'c' } }, strict: true });
  const logger = jsonLogger();
  const config = await loadConfig(values.config ?? env.BERTH_CONFIG, env);
  const secrets = configSecrets(config);
  logger.addSecrets(...secrets);
  const storage = await openStorage(config.storage, logger);
  // Times compared across the servers sharing the storage (alert claims and retries, whose check state is newer): its clock.
  const clock = await storageClock(storage, logger);
  const catalog = new BackupCatalog(storage);
  await catalog.failInterrupted(new Date().toISOString());
  // Checks and backups raise alerts; alerting reads their health and freshness and registers its metrics
  // on the server's registry: the sink forwards to alerting, bound once everything exists.
  const alerts: AlertSink = { raise: (event) => alerting.sink.raise(event) };
  const backups = new BackupService(config.backups, catalog, logger, undefined, alerts);
  // Metrics read the check service, and the service reports each run to them: bound once both exist.
  const checks = new CheckService(config.checks, {
    store: new CheckStore(storage),
    alerts,
    logger,
    observe: (check, result) => metrics.observeCheck(check, result),
    clock,
  });
  const metrics = createMetrics({
    checks,
    backups,
    catalog,
    storageUp: () => storageAnswers(storage),
  });
  const alerting = createAlerting({
    config,
    storage,
    logger,
    registry: metrics.registry,
    secrets,
    backups,
    checks: checkHealth(checks),
    composeLogs: composeLogTail,
    clock,
  });
  await alerting.start();
  await backups.removeLeftovers();
  const jobs = [...backupJobs(config.backups, backups, logger), ...checkJobs(checks, logger)];
  const scheduler = scheduleJobs(jobs, logger, new StorageTickClaimer(storage));
  const app = createApp({
    apiToken: config.apiToken,
    backups,
    catalog,
    checks,
    logger,
    statusPage: config.statusPage,
    metrics: metrics.registry,
    alerting,
    webhookSecret: config.github.webhookSecret,
    deploys: { recent: (limit) => alerting.deployments.views(limit) },
  });
  const hostname = config.apiToken ? '0.0.0.0' : '127.0.0.1';
  const server = serve({ fetch: app.fetch, port: config.port, hostname });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(
    `berth server listening on ${hostname}:${port} (storage: ${config.storage.kind}; ${config.backups.length} backup(s), ${config.checks.length} check(s))${config.apiToken ? '' : '; no api-token: the API answers on 127.0.0.1 only'}`,
  );
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      logger.info('stopping: no new backups or checks; waiting for running backups');
      scheduler.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([backups.drain(SHUTDOWN_GRACE_MS), checks.drain()]);
      await closed;
      await alerting.stop(); // undelivered alerts stay in the outbox for the next start
      await storage.close();
      logger.info('stopped');
    })());
  return { port, hostname, stop };
}

/** The process entry: starts, and stops on SIGTERM/SIGINT. */
export async function serverMain(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  try {
    const server = await startServer(argv, env);
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void server.stop().then(() => process.exit(0)));
  } catch (error) {
    process.stderr.write(`berth server: ${describeError(error)}\n`);
    process.exit(1);
  }
}
