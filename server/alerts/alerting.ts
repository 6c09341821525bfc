/**
 * Alerts and GitHub webhooks put together for the server: the outbox, its dispatcher, the watch,
 * and the webhook events, over the server's storage and prom-client registry. main.ts creates it,
 * hands `sink` to checks and backups, and mounts the routes that read it.
 */
import type { Registry } from 'prom-client';
import type { Logger } from '../../core/log.js';
import type { ServerConfig } from '../config/server-config.js';
import { redact } from '../log/json-logger.js';
import { AlertStore } from '../storage/alert-store.js';
import { DeploymentStore } from '../storage/deployment-store.js';
import type { Storage } from '../storage/storage.js';
import { GithubEvents } from '../webhooks/github-events.js';
import { alertContext, type ComposeLogs } from './alert-context.js';
import type { AlertSink } from './alert-events.js';
import { AlertDispatcher, type DispatchOptions } from './alert-dispatcher.js';
import { alertMetrics } from './alert-metrics.js';
import { AlertService, type CheckHealthSource } from './alert-service.js';
import { AlertWatch, type BackupFreshnessSource } from './alert-watch.js';
import { type AlertChannel, createChannels } from './channels/alert-channel.js';
import { deployRunning } from './deploy-hold.js';

export interface AlertingDeps {
  readonly config: Pick<ServerConfig, 'alerts' | 'checks' | 'storage'>;
  readonly storage: Storage;
  readonly logger: Logger;
  readonly registry: Registry;
  /** Values that must never appear in an alert (tokens, passwords, webhook URLs). */
  readonly secrets: ReadonlyArray<string | undefined>;
  readonly backups: BackupFreshnessSource;
  readonly checks?: CheckHealthSource | undefined;
  /** The failing service's log lines for a failed deploy's alert (the compose check's probe). */
  readonly composeLogs?: ComposeLogs | undefined;
  /** The host name alerts name as "where"; default os.hostname(). */
  readonly host?: string | undefined;
  readonly dispatch?: DispatchOptions | undefined;
  readonly watchIntervalMs?: number | undefined;
  /** While the storage is away, alerts are stored again this often (default 5 s). */
  readonly storageRetryMs?: number | undefined;
  readonly clock?: () => Date;
}

export interface Alerting {
  /** The AlertSink for checks and backups: a backup's alert also has staleness looked at again at once. */
  readonly sink: AlertSink;
  readonly service: AlertService;
  readonly store: AlertStore;
  readonly deployments: DeploymentStore;
  readonly channels: readonly AlertChannel[];
  readonly github: GithubEvents;
  readonly watch: AlertWatch;
  start(): Promise<void>;
  /** Stops sending; undelivered alerts stay in the outbox for the next start. */
  stop(): Promise<void>;
}

export function createAlerting(deps: AlertingDeps): Alerting {
  const { storage, logger, config } = deps;
  const clock = deps.clock ?? (() => new Date());
  const secrets = deps.secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  const clean = (text: string): string => redact(text, secrets);
  const store = new AlertStore(storage);
  const deployments = new DeploymentStore(storage);
  const channels = createChannels(config.alerts);
  const metrics = alertMetrics(deps.registry);
  const dispatcher = new AlertDispatcher({
    store,
    channels,
    logger,
    metrics,
    redact: clean,
    soleProcess: config.storage.kind === 'sqlite',
    options: deps.dispatch,
    clock,
  });
  const running = deployRunning(deployments, clock);
  const service = new AlertService({
    store,
    channels: channels.map((c) => c.id),
    wake: () => dispatcher.kick(),
    context: (event) => alertContext(event, { host: deps.host, checks: config.checks, deployments, composeLogs: deps.composeLogs }),
    deployRunning: running,
    checks: deps.checks,
    redact: clean,
    logger,
    clock,
    storageRetryMs: deps.storageRetryMs,
  });
  const watch = new AlertWatch({
    alerts: service,
    store,
    deployments,
    backups: deps.backups,
    checks: config.checks,
    health: deps.checks,
    deployRunning: running,
    logger,
    startedAt: clock(),
    intervalMs: deps.watchIntervalMs,
    clock,
  });
  const github = new GithubEvents({
    deployments,
    raise: (event) => service.raise(event),
    deployEnded: () => service.releaseHeld(),
    logger,
    clock,
  });
  const sink: AlertSink = {
    raise: (event) => {
      service.raise(event);
      if (event.kind === 'backup_failed') void watch.tick();
    },
  };
  return {
    sink,
    service,
    store,
    deployments,
    channels,
    github,
    watch,
    start: async () => {
      await dispatcher.start();
      watch.start();
    },
    stop: async () => {
      await watch.stop();
      await service.settled();
      service.stop();
      await dispatcher.stop();
    },
  };
}
