/**
 * Prometheus metrics (prom-client) on a registry of the server's own: check state and latency,
 * backup age, size and last result, and Node's process metrics. Gauges read the services when
 * scraped; latencies are observed as checks finish. Other parts add their metrics to `registry`.
 */
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { BackupService } from '../backups/backup-service.js';
import type { CheckResult } from '../checks/check-outcome.js';
import type { CheckService } from '../checks/check-service.js';
import type { CheckConfig } from '../config/server-config.js';
import type { BackupCatalog, CatalogEntry } from '../storage/backup-catalog.js';

export interface MetricsSources {
  readonly checks: CheckService;
  readonly backups: BackupService;
  readonly catalog: BackupCatalog;
  /** Whether the storage answers now (berth_storage_up). */
  readonly storageUp?: () => Promise<boolean>;
  readonly clock?: () => Date;
}

export interface ServerMetrics {
  /** The registry /metrics serves; alert deliveries and webhooks register here too. */
  readonly registry: Registry;
  /** Called with each finished check run. */
  observeCheck(config: CheckConfig, result: CheckResult): void;
}

const seconds = (iso: string): number => Date.parse(iso) / 1000;

/**
 * A gauge's collect that leaves its series out while the storage cannot be read, instead of failing
 * the whole scrape (prom-client rejects it all when one collect throws): the check and process
 * metrics, and berth_storage_up = 0, still reach Prometheus during an outage.
 */
function tolerant(collect: (this: Gauge) => Promise<void>): (this: Gauge) => Promise<void> {
  return async function (this: Gauge) {
    try {
      await collect.call(this);
    } catch {
      this.reset();
    }
  };
}

export function createMetrics(sources: MetricsSources): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'berth_' });
  const clock = sources.clock ?? (() => new Date());

  new Gauge({
    name: 'berth_check_up',
    help: 'Whether a check is up (1) or down (0); absent until its state is known.',
    labelNames: ['check', 'type'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const check of await sources.checks.healths()) {
        if (check.health !== 'unknown') this.set({ check: check.name, type: check.type }, check.health === 'up' ? 1 : 0);
      }
    },
  });
  const latency = new Histogram({
    name: 'berth_check_duration_seconds',
    help: 'How long check runs took, by check and outcome.',
    labelNames: ['check', 'type', 'result'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const lastRun = new Gauge({
    name: 'berth_check_last_run_timestamp_seconds',
    help: 'When each check last ran (Unix time).',
    labelNames: ['check'],
    registers: [registry],
  });

  /** A gauge with one series per backup, valued from its newest good catalog entry when there is one. */
  const newestGood = (name: string, help: string, value: (good: CatalogEntry) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: ['backup'],
      registers: [registry],
      collect: tolerant(async function () {
        this.reset();
        for (const backup of sources.backups.names()) {
          const [good] = await sources.catalog.good(backup);
          const measured = good ? value(good) : null;
          if (measured !== null) this.set({ backup }, measured);
        }
      }),
    });
  newestGood('berth_backup_last_success_timestamp_seconds', 'When the newest good backup started (Unix time).', (g) =>
    seconds(g.startedAt),
  );
  newestGood('berth_backup_age_seconds', 'Age of the newest good backup.', (g) => clock().getTime() / 1000 - seconds(g.startedAt));
  newestGood('berth_backup_size_bytes', 'Size of the newest good backup file.', (g) => g.sizeBytes);
  new Gauge({
    name: 'berth_backup_last_run_success',
    help: 'Whether the latest backup run succeeded (1) or failed (0); absent while none finished.',
    labelNames: ['backup'],
    registers: [registry],
    collect: tolerant(async function () {
      this.reset();
      for (const name of sources.backups.names()) {
        const finished = (await sources.catalog.list(name, 5)).find((e) => e.status !== 'running');
        if (finished) this.set({ backup: name }, finished.status === 'succeeded' ? 1 : 0);
      }
    }),
  });
  new Gauge({
    name: 'berth_backup_fresh',
    help: 'Whether the newest good backup is as recent as the schedule says (1), or stale or missing (0).',
    labelNames: ['backup'],
    registers: [registry],
    collect: tolerant(async function () {
      this.reset();
      for (const backup of await sources.backups.overview()) this.set({ backup: backup.name }, backup.freshness.status === 'fresh' ? 1 : 0);
    }),
  });
  const storageUp = sources.storageUp;
  if (storageUp)
    new Gauge({
      name: 'berth_storage_up',
      help: 'Whether the storage (SQLite or PostgreSQL) answers (1) or not (0).',
      registers: [registry],
      async collect() {
        this.set((await storageUp()) ? 1 : 0);
      },
    });

  return {
    registry,
    observeCheck: (config, result) => {
      latency.observe({ check: config.name, type: config.type, result: result.ok ? 'ok' : 'fail' }, result.latencyMs / 1000);
      lastRun.set({ check: config.name }, seconds(result.at));
    },
  };
}
