/**
 * What alerts must notice on their own, every minute: backups that went stale (the freshness the
 * backup service computes), reminders of still-down checks (`remind-every`), held check-down
 * alerts whose deploy ended without telling us, and old alerts and delivery ids to forget.
 * Each alert it raises has a key, so two servers watching the same storage raise it once.
 */
import { describeError } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { Freshness } from '../../core/backup/schedule.js';
import type { CheckConfig } from '../config/server-config.js';
import type { AlertStore } from '../storage/alert-store.js';
import type { DeploymentStore } from '../storage/deployment-store.js';
import type { AlertService, CheckHealthSource } from './alert-service.js';

export interface BackupFreshnessSource {
  overview(): Promise<ReadonlyArray<{ readonly name: string; readonly freshness: Freshness }>>;
}

export interface WatchDeps {
  readonly alerts: AlertService;
  readonly store: AlertStore;
  readonly deployments: DeploymentStore;
  readonly backups: BackupFreshnessSource;
  readonly checks: readonly CheckConfig[];
  readonly health?: CheckHealthSource | undefined;
  readonly deployRunning: () => Promise<boolean>;
  readonly logger: Logger;
  /** When this server started: a backup never made counts as stale only if it was due after that. */
  readonly startedAt: Date;
  readonly intervalMs?: number;
  readonly clock?: () => Date;
}

/** Alerts are kept this long; webhook delivery ids this long (GitHub redelivers within days). */
const ALERTS_KEPT_MS = 90 * 86_400_000;
const DELIVERY_IDS_KEPT_MS = 30 * 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;

export class AlertWatch {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private lastPrune = 0;
  private readonly clock: () => Date;

  constructor(private readonly deps: WatchDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.deps.intervalMs ?? 60_000);
    this.timer.unref();
    void this.tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One look at everything; overlapping calls share the run. Never throws. */
  tick(): Promise<void> {
    this.running ??= this.look().finally(() => (this.running = undefined));
    return this.running;
  }

  private async look(): Promise<void> {
    for (const [what, step] of [
      ['backup freshness', () => this.staleBackups()],
      ['reminders', () => this.reminders()],
      ['held alerts', () => this.heldAlerts()],
      ['pruning', () => this.prune()],
    ] as const) {
      try {
        await step();
      } catch (error) {
        this.deps.logger.warn(`alerts: ${what}: ${describeError(error)}`);
      }
    }
  }

  /** Stale backups; one never made only once it was due while this server ran. */
  async staleBackups(): Promise<void> {
    const now = this.clock();
    for (const { name, freshness } of await this.deps.backups.overview()) {
      const { status, lastGoodAt, expectedSince } = freshness;
      const missed = status === 'never' && expectedSince !== null && Date.parse(expectedSince) >= this.deps.startedAt.getTime();
      if (status === 'stale' || missed)
        this.deps.alerts.raise({ kind: 'backup_stale', backup: name, lastGoodAt, expectedSince, at: now.toISOString() });
    }
  }

  /** A still-down check with `remind-every` is announced again every that long, if its down alert went out. */
  private async reminders(): Promise<void> {
    const { health, store, alerts } = this.deps;
    if (!health) return;
    const now = this.clock();
    for (const check of this.deps.checks) {
      if (!check.remindEveryMs) continue;
      const current = await health.health(check.name, false);
      if (current?.health !== 'down' || !current.since) continue;
      const n = Math.floor((now.getTime() - Date.parse(current.since)) / check.remindEveryMs);
      if (n < 1) continue;
      const down = await store.latest('check_down', check.name);
      if (down?.status !== 'released' || down.event.kind !== 'check_down') continue;
      alerts.remind({ ...down.event, error: current.error ?? down.event.error, at: now.toISOString() }, n);
    }
  }

  /** Held alerts whose deploy is over (or never said it ended, within the wait): decided now. */
  private async heldAlerts(): Promise<void> {
    if ((await this.deps.store.held()).length === 0 || (await this.deps.deployRunning())) return;
    await this.deps.alerts.releaseHeld();
  }

  private async prune(): Promise<void> {
    const now = this.clock().getTime();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    await this.deps.store.prune(new Date(now - ALERTS_KEPT_MS).toISOString());
    await this.deps.deployments.pruneDeliveries(new Date(now - DELIVERY_IDS_KEPT_MS).toISOString());
  }
}
