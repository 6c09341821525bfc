/**
 * The AlertSink behind checks, backups and webhooks. `raise` returns at once; in the background
 * each event is given its context, redacted, and stored in the outbox once (its key makes a state
 * change raised twice, by two servers or a retry, one alert); then the dispatcher sends it.
 * While a deploy runs, check-down alerts are held: a check still down when it ends alerts then,
 * one that came back is never announced (nor its recovery). If the storage is away, events wait
 * in memory and are stored when it is back.
 */
import { describeError } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import { type AlertStatus, type AlertStore, alertId, type StoredAlert } from '../storage/alert-store.js';
import { type Alert, type AlertContext, alertKey, severityOf } from './alert.js';
import { alertMessage } from './alert-message.js';
import type { AlertSink } from './alert-events.js';
import type { BerthAlertEvent } from './github-alert-events.js';

/** A check's health as the check service knows it. */
export interface CheckHealth {
  readonly health: 'unknown' | 'up' | 'down';
  readonly since: string | null;
  readonly error?: string | undefined;
}

/** The checks as alerts need them: their health now, after running them again when `rerun`. */
export interface CheckHealthSource {
  health(check: string, rerun: boolean): Promise<CheckHealth | undefined>;
}

export interface AlertServiceDeps {
  readonly store: AlertStore;
  /** Ids of the channels each released alert goes to. */
  readonly channels: readonly string[];
  /** Wakes the dispatcher after a delivery is stored. */
  readonly wake: () => void;
  readonly context: (event: BerthAlertEvent) => Promise<AlertContext>;
  /** Whether a deploy is running now (check-down alerts wait for its end). */
  readonly deployRunning: () => Promise<boolean>;
  readonly checks?: CheckHealthSource | undefined;
  /** Removes secrets from a text: applied to every string of an event and its context before it is stored. */
  readonly redact: (text: string) => string;
  readonly logger: Logger;
  readonly clock?: () => Date;
  /** How long to wait before storing again while the storage is away (default 5 s). */
  readonly storageRetryMs?: number | undefined;
}

/** Events waiting for the storage are kept up to this many; older ones are dropped with an error in the log. */
const QUEUE_LIMIT = 1000;

/** Every string in a value, redacted. */
function redactDeep<T>(value: T, redact: (text: string) => string): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactDeep(item, redact)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item, redact)])) as T;
  return value;
}

export class AlertService implements AlertSink {
  private readonly queue: Array<{ event: BerthAlertEvent; reminder?: number | undefined }> = [];
  private draining: Promise<void> | undefined;
  /** Deciding held alerts after a deploy; one at a time. */
  private releasing: Promise<void> | undefined;
  private retry: NodeJS.Timeout | undefined;
  private readonly clock: () => Date;

  constructor(private readonly deps: AlertServiceDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  raise(event: BerthAlertEvent): void {
    this.enqueue(event, undefined);
  }

  /** Raises a reminder of a still-down check: the n-th, idempotent like any alert. */
  remind(event: Extract<BerthAlertEvent, { kind: 'check_down' }>, n: number): void {
    this.enqueue(event, n);
  }

  /** Resolves when every event raised so far is stored (or waits for the storage) and held alerts are decided. For tests and shutdown. */
  async settled(): Promise<void> {
    for (let pending = this.draining ?? this.releasing; pending; pending = this.draining ?? this.releasing) await pending;
  }

  /** Stops retrying the storage; events still waiting are logged as lost. */
  stop(): void {
    clearTimeout(this.retry);
    if (this.queue.length > 0) this.deps.logger.error(`alerts: ${this.queue.length} alert(s) could not be stored before the stop`);
  }

  private enqueue(event: BerthAlertEvent, reminder: number | undefined): void {
    if (this.queue.length >= QUEUE_LIMIT) {
      const dropped = this.queue.shift();
      this.deps.logger.error(`alerts: the storage is away and ${QUEUE_LIMIT} alerts wait; dropped ${dropped?.event.kind}`);
    }
    this.queue.push({ event, reminder });
    this.drain();
  }

  /** Stores queued events one at a time, in order (a recovery never overtakes its down). */
  private drain(): void {
    if (this.draining) return;
    this.draining = (async () => {
      while (this.queue.length > 0) {
        const next = this.queue[0] as (typeof this.queue)[number];
        try {
          await this.accept(next.event, next.reminder);
        } catch (error) {
          if (await this.deps.store.reachable()) {
            // The storage answers, so this event itself cannot be stored: dropped, so it blocks none after it.
            this.deps.logger.error(`alerts: ${next.event.kind} could not be stored and is dropped: ${describeError(error)}`);
          } else {
            this.deps.logger.error(
              `alerts: the storage is away; ${this.queue.length} alert(s) wait and are stored when it is back: ${describeError(error)}`,
            );
            this.retry = setTimeout(() => this.drain(), this.deps.storageRetryMs ?? 5_000);
            this.retry.unref();
            return;
          }
        }
        this.queue.shift();
      }
    })().finally(() => (this.draining = undefined));
  }

  private async accept(raised: BerthAlertEvent, reminder: number | undefined): Promise<void> {
    const { store, redact } = this.deps;
    const event = redactDeep(raised, redact);
    const key = alertKey(event, reminder);
    if (!(await this.changesState(event, key, reminder))) {
      this.deps.logger.debug(`alert ${key}: the state change was announced already, here or on another server`);
      return;
    }
    const context = redactDeep({ ...(await this.deps.context(event)), ...(reminder ? { reminder } : {}) }, redact);
    const alert: Alert = { id: alertId(key), key, event, context, createdAt: this.clock().toISOString() };
    const [status, reason] = await this.statusFor(event, reminder);
    if (!(await store.insert(alert, status, reason))) return; // raised before, here or on another server
    const line = `alert ${event.kind} (${alert.id}): ${alertMessage(alert).title}${status === 'released' ? '' : ` — ${status}: ${reason}`}`;
    if (severityOf(event) === 'resolved') this.deps.logger.info(line);
    else this.deps.logger.warn(line);
    if (status === 'released') await this.send(alert.id);
  }

  /** A check's down or recovery is announced once per change of its health, whichever server saw it first. */
  private async changesState(event: BerthAlertEvent, key: string, reminder: number | undefined): Promise<boolean> {
    if (reminder || (event.kind !== 'check_down' && event.kind !== 'check_recovered')) return true;
    return this.deps.store.gate(`check:${event.check}`, event.kind === 'check_down' ? 'down' : 'up', key, event.at);
  }

  private async statusFor(event: BerthAlertEvent, reminder: number | undefined): Promise<[AlertStatus, string | null]> {
    if (event.kind === 'check_down' && !reminder && (await this.deps.deployRunning()))
      return ['held', 'a deploy is running; sent if the check is still down when it ends'];
    if (event.kind === 'check_recovered') {
      const down = await this.deps.store.latest('check_down', event.check);
      if (down?.status === 'held') await this.deps.store.setStatus(down.id, 'held', 'suppressed', 'the check came back during the deploy');
      if (down && down.status !== 'released') return ['suppressed', 'its down alert was not sent: the check came back during a deploy'];
    }
    return ['released', null];
  }

  private async send(id: string): Promise<void> {
    await this.deps.store.addDeliveries(id, this.deps.channels, this.clock().toISOString());
    this.deps.wake();
  }

  /**
   * After a deploy (or once none runs any more): each held check-down alert is sent if its check,
   * run again, is still down since the same time; otherwise it is suppressed.
   */
  releaseHeld(): Promise<void> {
    const run = (this.releasing ?? Promise.resolve()).then(() => this.decideHeld());
    const tracked: Promise<void> = run
      .catch(() => undefined)
      .finally(() => {
        if (this.releasing === tracked) this.releasing = undefined;
      });
    this.releasing = tracked;
    return run;
  }

  private async decideHeld(): Promise<void> {
    for (const alert of await this.deps.store.held()) await this.decide(alert);
  }

  private async decide(alert: StoredAlert): Promise<void> {
    const { event } = alert;
    if (event.kind !== 'check_down') return this.release(alert, 'released');
    const now = await this.deps.checks?.health(event.check, true).catch((error: unknown) => {
      this.deps.logger.warn(`alerts: check ${event.check} could not be run after the deploy: ${describeError(error)}`);
      return undefined;
    });
    const stillDown = now === undefined || (now.health === 'down' && now.since === event.since);
    await this.release(alert, stillDown ? 'released' : 'suppressed');
  }

  private async release(alert: StoredAlert, to: 'released' | 'suppressed'): Promise<void> {
    const reason = to === 'released' ? 'still down after the deploy' : 'the check came back during the deploy';
    if (!(await this.deps.store.setStatus(alert.id, 'held', to, reason))) return; // another server decided
    this.deps.logger.info(`alert ${alert.event.kind} (${alert.id}): ${to}: ${reason}`);
    if (to === 'released') await this.send(alert.id);
  }
}
