/**
 * The seam between what happens (a check goes down, a backup fails) and who hears about it.
 * Checks and backups call `raise(event)`; delivery (chat channels, an outbox, retries) lives
 * behind an AlertSink, so the callers never wait for it and never see its errors.
 */
import { describeError } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { CheckType } from '../config/server-config.js';

/** What a failing check found out beyond its one-line error. */
export interface CheckDetails {
  /** The HTTP status answered, when there was one. */
  readonly status?: number;
  /** Compose: the services that are down, and the last log lines of the first one. */
  readonly failingServices?: readonly string[];
  readonly logTail?: string;
}

export type AlertEvent =
  | {
      readonly kind: 'check_down';
      readonly check: string;
      readonly checkType: CheckType;
      /** When the check went down: the first failure of the run that crossed `failures`. */
      readonly since: string;
      readonly error: string;
      readonly details?: CheckDetails | undefined;
      readonly at: string;
    }
  | {
      readonly kind: 'check_recovered';
      readonly check: string;
      readonly checkType: CheckType;
      /** When it was down from. */
      readonly since: string;
      readonly downForMs: number;
      readonly at: string;
    }
  | { readonly kind: 'backup_failed'; readonly backup: string; readonly runId: string; readonly error: string; readonly at: string }
  | {
      readonly kind: 'backup_stale';
      readonly backup: string;
      readonly lastGoodAt: string | null;
      readonly expectedSince: string | null;
      readonly at: string;
    }
  | { readonly kind: 'retention_failed'; readonly backup: string; readonly error: string; readonly at: string };

export type AlertKind = AlertEvent['kind'];

export interface AlertSink {
  /** Hands an event over. Returns at once; never throws into the caller. */
  raise(event: AlertEvent): void;
}

/** One log line per event: the default until channels are configured. */
export function loggingAlertSink(logger: Logger): AlertSink {
  return {
    raise: (event) => {
      const line = alertSummary(event);
      if (event.kind === 'check_recovered') logger.info(`alert: ${line}`);
      else logger.warn(`alert: ${line}`);
    },
  };
}

/** Calls every sink; a sink that throws is logged, and the others still hear the event. */
export function fanOut(sinks: readonly AlertSink[], logger: Logger): AlertSink {
  return {
    raise: (event) => {
      for (const sink of sinks) {
        try {
          sink.raise(event);
        } catch (error) {
          logger.error(`alert ${event.kind}: a sink failed: ${describeError(error)}`);
        }
      }
    },
  };
}

/** A one-line summary, for logs and plain-text channels. */
export function alertSummary(event: AlertEvent): string {
  switch (event.kind) {
    case 'check_down':
      return `check ${event.check} is down since ${event.since}: ${event.error}`;
    case 'check_recovered':
      return `check ${event.check} is up again after ${Math.round(event.downForMs / 1000)} s down`;
    case 'backup_failed':
      return `backup ${event.backup} failed: ${event.error}`;
    case 'backup_stale':
      return `backup ${event.backup} is stale: the newest good one is from ${event.lastGoodAt ?? 'never'}, expected since ${event.expectedSince}`;
    case 'retention_failed':
      return `backup ${event.backup}: retention failed (the backup itself is good): ${event.error}`;
  }
}
