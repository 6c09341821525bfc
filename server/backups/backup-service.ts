/**
 * Runs backups (on schedule or on request), records each in the catalog, applies retention
 * after a good one, and knows how fresh each backup is. One run per backup name at a time.
 */
import { randomUUID } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { dumpCommand } from '../../core/backup/dump-command.js';
import { backupsToRemove } from '../../core/backup/retention.js';
import { type BackupFile, BackupError, runBackup } from '../../core/backup/run-backup.js';
import { type Freshness, freshness } from '../../core/backup/schedule.js';
import { detectCompose } from '../../core/engine/detect-compose.js';
import { describeError } from '../../core/errors.js';
import { LocalExecutor } from '../../core/exec/local-executor.js';
import type { Logger } from '../../core/log.js';
import type { AlertSink } from '../alerts/alert-events.js';
import { BusyError, NotFoundError } from '../server-errors.js';
import type { BackupConfig } from '../config/server-config.js';
import type { BackupCatalog, CatalogEntry } from '../storage/backup-catalog.js';

export interface BackupOverview {
  readonly name: string;
  readonly schedule: string;
  readonly timezone: string | null;
  readonly dir: string;
  readonly freshness: Freshness;
  readonly running: boolean;
}

export class BackupService {
  private readonly running = new Map<string, Promise<CatalogEntry>>();
  private readonly stopping = new AbortController();
  private draining = false;

  constructor(
    private readonly configs: readonly BackupConfig[],
    private readonly catalog: BackupCatalog,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
    private readonly alerts: AlertSink = { raise: () => undefined },
  ) {}

  names(): string[] {
    return this.configs.map((c) => c.name);
  }

  private config(name: string): BackupConfig {
    const config = this.configs.find((c) => c.name === name);
    if (!config) throw new NotFoundError(`There is no backup named '${name}'.`, `Configured: ${this.names().join(', ') || 'none'}.`);
    return config;
  }

  /**
   * Starts a backup: resolves once its catalog row exists (so the id can be polled), with the id
   * and the run's completion. Rejects for an unknown name, a backup already running, or a server
   * shutting down, and then nothing was started.
   */
  async start(name: string, trigger: CatalogEntry['trigger']): Promise<{ id: string; done: Promise<CatalogEntry> }> {
    const config = this.config(name);
    if (this.running.has(name)) throw new BusyError(`Backup '${name}' is already running.`);
    if (this.draining) throw new BusyError('The server is shutting down.');
    const id = randomUUID();
    const started = this.clock();
    let finish!: (entry: Promise<CatalogEntry>) => void;
    const done = new Promise<CatalogEntry>((resolve) => (finish = resolve)).finally(() => this.running.delete(name));
    this.running.set(name, done);
    try {
      await this.catalog.start(id, config.name, trigger, started.toISOString());
    } catch (error) {
      this.running.delete(name);
      throw error;
    }
    finish(this.execute(config, id, started, trigger));
    return { id, done };
  }

  /** Runs a backup now and resolves with its catalog entry (succeeded or failed). */
  async run(name: string, trigger: CatalogEntry['trigger']): Promise<CatalogEntry> {
    return (await this.start(name, trigger)).done;
  }

  private async execute(config: BackupConfig, id: string, started: Date, trigger: CatalogEntry['trigger']): Promise<CatalogEntry> {
    this.logger.info(`backup ${config.name}: started (${trigger})`);
    let result: BackupFile;
    try {
      const compose = config.source.kind === 'compose' ? await this.composeProject(config.source.path) : undefined;
      result = await runBackup(config.name, config.dir, dumpCommand(config.source, compose), started, this.stopping.signal);
      await this.catalog.succeed(id, result, this.clock().toISOString());
    } catch (error) {
      const message = describeError(error);
      await this.catalog.fail(id, message, this.clock().getTime() - started.getTime(), this.clock().toISOString());
      this.logger.error(`backup ${config.name}: ${message}`);
      this.alerts.raise({ kind: 'backup_failed', backup: config.name, runId: id, error: message, at: this.clock().toISOString() });
      return (await this.catalog.get(id)) as CatalogEntry;
    }
    this.logger.info(`backup ${config.name}: ${result.file} (${result.sizeBytes} bytes, ${result.durationMs} ms, sha256 ${result.sha256})`);
    await this.tryRetention(config);
    return (await this.catalog.get(id)) as CatalogEntry;
  }

  /** Retention failing leaves the good backup good: a warning and an alert, never a failed backup. */
  private async tryRetention(config: BackupConfig): Promise<void> {
    try {
      await this.applyRetention(config);
    } catch (error) {
      const message = describeError(error);
      this.logger.warn(`backup ${config.name}: retention failed (the new backup is good): ${message}`);
      this.alerts.raise({ kind: 'retention_failed', backup: config.name, error: message, at: this.clock().toISOString() });
    }
  }

  private async composeProject(path: string) {
    const flavor = await detectCompose(new LocalExecutor());
    if (flavor) return { flavor, path, files: [], projectName: undefined };
    throw new BackupError(
      'Docker Compose was not found on this machine.',
      'Install docker compose or docker-compose, or use database-url.',
    );
  }

  /**
   * Removes partial files a crashed server left behind (a failed backup leaves no file, even
   * when the failure is the server's own death). Run at start, before anything is scheduled.
   */
  async removeLeftovers(): Promise<void> {
    for (const config of this.configs) {
      let names: string[];
      try {
        names = await readdir(config.dir);
      } catch {
        continue;
      }
      for (const name of names.filter((n) => n.startsWith(`.${config.name}_`) && n.endsWith('.sql.gz.partial'))) {
        await rm(join(config.dir, name), { force: true });
        this.logger.warn(`backup ${config.name}: removed ${name}, left by an interrupted backup`);
      }
    }
  }

  /** Removes backups past keep-days, never the newest good one nor below keep-min. Runs only after a good backup. */
  async applyRetention(config: BackupConfig): Promise<void> {
    const good = await this.catalog.good(config.name);
    const now = this.clock();
    for (const old of backupsToRemove(good, config, now)) {
      const entry = good.find((g) => g.id === old.id);
      if (!entry?.file) continue;
      await rm(entry.file, { force: true });
      await rm(`${entry.file}.sha256`, { force: true });
      await this.catalog.markRemoved(entry.id, now.toISOString());
      this.logger.info(`backup ${config.name}: retention removed ${entry.file}`);
    }
  }

  async overview(): Promise<BackupOverview[]> {
    const now = this.clock();
    return Promise.all(
      this.configs.map(async (c) => {
        const [lastGood] = await this.catalog.good(c.name);
        return {
          name: c.name,
          schedule: c.schedule,
          timezone: c.timezone ?? null,
          dir: c.dir,
          freshness: freshness(c.schedule, c.timezone, lastGood?.startedAt, now),
          running: this.running.has(c.name),
        };
      }),
    );
  }

  /** Stops taking runs; waits for running ones, and stops them (removing partial files) after `graceMs`. */
  async drain(graceMs: number): Promise<void> {
    this.draining = true;
    const jobs = [...this.running.values()];
    const timer = setTimeout(() => this.stopping.abort(), graceMs);
    if (graceMs <= 0) this.stopping.abort();
    await Promise.allSettled(jobs);
    clearTimeout(timer);
    this.stopping.abort();
  }
}
