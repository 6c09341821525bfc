/** `berth server`: config → storage → backups and schedule → HTTP, with a graceful stop on SIGTERM. */
import { serve } from '@hono/node-server';
import { parseArgs } from 'node:util';
import { Registry } from 'prom-client';
import { describeError } from '../core/errors.js';
import { createAlerting } from './alerts/alerting.js';
import { BackupService } from './backups/backup-service.js';
import { backupJobs } from './backups/backup-jobs.js';
import { loadConfig } from './config/load-config.js';
import { createApp } from './http/app.js';
import { jsonLogger } from './log/json-logger.js';
import { BackupCatalog } from './storage/backup-catalog.js';
import { scheduleJobs } from './schedule/cron-jobs.js';
import { openStorage } from './storage/storage.js';

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
  const secrets = [
    config.apiToken,
    config.github.webhookSecret,
    ...config.backups.map((b) => (b.source.kind === 'url' ? new URL(b.source.url).password : undefined)),
    ...config.alerts.map((a) => (a.type === 'telegram' ? a.token : a.url)),
  ];
  logger.addSecrets(...secrets);
  const storage = await openStorage(config.storage);
  const catalog = new BackupCatalog(storage);
  await catalog.failInterrupted(new Date().toISOString());
  const backups = new BackupService(config.backups, catalog, logger);
  await backups.removeLeftovers();
  const alerting = createAlerting({ config, storage, logger, registry: new Registry(), secrets, backups });
  await alerting.start();
  const scheduler = scheduleJobs(backupJobs(config.backups, backups, logger), logger);
  const app = createApp({ apiToken: config.apiToken, backups, catalog, alerting, webhookSecret: config.github.webhookSecret, logger });
  const hostname = config.apiToken ? '0.0.0.0' : '127.0.0.1';
  const server = serve({ fetch: app.fetch, port: config.port, hostname });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(
    `berth server listening on ${hostname}:${port} (storage: ${config.storage.kind}; ${config.backups.length} backup(s))${config.apiToken ? '' : '; no api-token: the API answers on 127.0.0.1 only'}`,
  );
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      logger.info('stopping: no new backups; waiting for running ones');
      scheduler.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await backups.drain(SHUTDOWN_GRACE_MS);
      await closed;
      await alerting.stop();
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
