/**
 * Sends what the outbox holds. One worker per channel claims that channel's oldest due delivery,
 * posts it and records the outcome, so a hanging channel delays only itself and never the checks.
 * A failed attempt is retried with backoff (3 tries over ~30 s by default); a delivery that runs
 * out of tries is failed and reported in the log and in /api/alerts. Workers wake when an alert is
 * stored here and poll for retries and for alerts another server stored.
 */
import { describeError } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { AlertStore, Delivery } from '../storage/alert-store.js';
import type { AlertMetrics } from './alert-metrics.js';
import type { AlertChannel } from './channels/alert-channel.js';
import { DeliveryError, postAlert } from './channels/post-alert.js';

export interface DispatchOptions {
  /** Tries per delivery, the first included. */
  readonly attempts: number;
  /** The waits before the second, third, … try (the last one repeats). */
  readonly retryDelaysMs: readonly number[];
  /** How long one post may take. */
  readonly timeoutMs: number;
  /** How often workers look for due deliveries without being woken. */
  readonly pollMs: number;
}

export const DEFAULT_DISPATCH: DispatchOptions = { attempts: 3, retryDelaysMs: [5_000, 25_000], timeoutMs: 10_000, pollMs: 1_000 };

/** A claim outlives the post's timeout by this much before another server may take the delivery. */
const LEASE_MARGIN_MS = 5_000;

/** When to try again after the `attempts`-th try failed, or undefined when the tries are used up. Pure. */
export function retryAt(attempts: number, options: DispatchOptions, now: Date, retryAfterMs?: number): Date | undefined {
  if (attempts >= options.attempts) return undefined;
  const delays = options.retryDelaysMs;
  const delay = delays[Math.min(attempts - 1, delays.length - 1)] ?? 0;
  return new Date(now.getTime() + Math.max(delay, Math.min(retryAfterMs ?? 0, 300_000)));
}

export interface DispatcherDeps {
  readonly store: AlertStore;
  readonly channels: readonly AlertChannel[];
  readonly logger: Logger;
  readonly metrics: AlertMetrics;
  /** Removes secrets from what a service answered before it is stored or logged. */
  readonly redact: (text: string) => string;
  /** One process on the storage (SQLite): claims left by a previous run are given back at start. */
  readonly soleProcess: boolean;
  readonly options?: DispatchOptions;
  readonly clock?: () => Date;
}

export class AlertDispatcher {
  private readonly options: DispatchOptions;
  private readonly clock: () => Date;
  private readonly busy = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  /** Undelivered alerts in a row, per channel, for the log. */
  private readonly failedInRow = new Map<string, number>();
  private readonly stopping = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private outboxAway = false;

  constructor(private readonly deps: DispatcherDeps) {
    this.options = deps.options ?? DEFAULT_DISPATCH;
    this.clock = deps.clock ?? (() => new Date());
  }

  /** Gives back claims no process holds, fails deliveries to channels no longer configured, and starts the workers. */
  async start(): Promise<void> {
    const { store, channels, logger } = this.deps;
    const now = this.clock().toISOString();
    if (this.deps.soleProcess) {
      const released = await store.releaseAllClaims(now);
      if (released > 0) logger.info(`alerts: ${released} delivery(ies) interrupted by the last stop will be sent again`);
    }
    const orphans = await store.failOrphans(
      channels.map((c) => c.id),
      now,
    );
    if (orphans > 0) logger.warn(`alerts: ${orphans} delivery(ies) to channels no longer configured were given up`);
    this.timer = setInterval(() => this.kick(), this.options.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Wakes every channel's worker: something may be due. Never throws. */
  kick(): void {
    for (const channel of this.deps.channels) this.wake(channel);
  }

  private wake(channel: AlertChannel): void {
    if (this.stopping.signal.aborted) return;
    if (this.busy.has(channel.id)) {
      // Looked at again when the worker is done, so a delivery stored meanwhile waits for no poll.
      this.again.add(channel.id);
      return;
    }
    const work = this.pump(channel).finally(() => {
      this.busy.delete(channel.id);
      if (this.again.delete(channel.id)) this.wake(channel);
    });
    this.busy.set(channel.id, work);
  }

  /** Stops the workers: posts under way are cut short and their deliveries given back for the next start. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.stopping.abort();
    await Promise.allSettled([...this.busy.values()]);
  }

  private async pump(channel: AlertChannel): Promise<void> {
    try {
      while (!this.stopping.signal.aborted) {
        const now = this.clock();
        const lease = new Date(now.getTime() + this.options.timeoutMs + LEASE_MARGIN_MS);
        const claimed = await this.deps.store.claim(channel.id, now.toISOString(), lease.toISOString());
        this.outboxAnswers(true);
        if (!claimed) return;
        await this.deliver(channel, claimed);
      }
    } catch (error) {
      // The storage is away: the outbox keeps the deliveries, and a later poll tries again.
      this.outboxAnswers(false, error);
    }
  }

  /** Logs the outbox going away once, and coming back once, however many polls fail between. */
  private outboxAnswers(ok: boolean, error?: unknown): void {
    if (ok === !this.outboxAway) return;
    this.outboxAway = !ok;
    if (ok) this.deps.logger.info('alerts: the outbox answers again; sending');
    else this.deps.logger.error(`alerts: the outbox could not be read or written; deliveries wait: ${describeError(error)}`);
  }

  private async deliver(channel: AlertChannel, claimed: Delivery): Promise<void> {
    const { store, logger, metrics } = this.deps;
    const alert = await store.get(claimed.alertId);
    if (!alert) {
      await store.settle(claimed, { state: 'failed', error: 'the alert was removed', nextAt: this.clock().toISOString() });
      return;
    }
    try {
      await postAlert(channel.request(alert), this.options.timeoutMs, this.stopping.signal);
    } catch (error) {
      if (this.stopping.signal.aborted) return store.release(claimed, this.clock().toISOString());
      return this.failed(channel, claimed, error);
    }
    const now = this.clock();
    await store.settle(claimed, { state: 'delivered', at: now.toISOString() });
    metrics.delivered(channel, (now.getTime() - Date.parse(alert.createdAt)) / 1000);
    this.failedInRow.delete(channel.id);
    logger.info(
      `alert ${alert.event.kind} (${alert.id}) delivered to ${channel.label}${claimed.attempts > 1 ? ` on try ${claimed.attempts}` : ''}`,
    );
  }

  private async failed(channel: AlertChannel, claimed: Delivery, error: unknown): Promise<void> {
    const { store, logger, metrics } = this.deps;
    const now = this.clock();
    const problem = this.deps.redact(describeError(error));
    const next = retryAt(claimed.attempts, this.options, now, error instanceof DeliveryError ? error.retryAfterMs : undefined);
    const tries = `try ${claimed.attempts} of ${this.options.attempts}`;
    if (next) {
      await store.settle(claimed, { state: 'pending', error: problem, nextAt: next.toISOString() });
      metrics.retried(channel);
      logger.warn(
        `alert ${claimed.alertId} to ${channel.label} (${channel.target}): ${tries} failed: ${problem}; next in ${Math.round((next.getTime() - now.getTime()) / 1000)} s`,
      );
      return;
    }
    await store.settle(claimed, { state: 'failed', error: problem, nextAt: now.toISOString() });
    metrics.failed(channel);
    const inRow = (this.failedInRow.get(channel.id) ?? 0) + 1;
    this.failedInRow.set(channel.id, inRow);
    logger.error(
      `alert ${claimed.alertId} to ${channel.label} (${channel.target}): not delivered, ${tries} failed: ${problem}` +
        (inRow > 1 ? `; ${channel.label} has failed its last ${inRow} alerts` : ''),
    );
  }
}
