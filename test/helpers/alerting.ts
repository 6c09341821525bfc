/**
 * Alerting as the server puts it together, over a given storage, with stand-ins for what checks and
 * backups tell it (their health and freshness, set by the test) and a clock the test may stop.
 */
import { Registry } from 'prom-client';
import type { Logger } from '../../core/log.js';
import type { AlertEvent } from '../../server/alerts/alert-events.js';
import type { DispatchOptions } from '../../server/alerts/alert-dispatcher.js';
import type { CheckHealth } from '../../server/alerts/alert-service.js';
import type { BackupFreshnessSource } from '../../server/alerts/alert-watch.js';
import { type Alerting, createAlerting } from '../../server/alerts/alerting.js';
import { parseConfig } from '../../server/config/load-config.js';
import type { Storage } from '../../server/storage/storage.js';
import type { ChatReceiver } from './chat-receiver.js';

/** Retries and timeouts short enough for tests. */
export const FAST: DispatchOptions = { attempts: 3, retryDelaysMs: [100, 200], timeoutMs: 2_000, pollMs: 50 };
export const SECRET = 'hunter2-very-secret';

/** A logger that keeps its lines. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return { lines, debug: () => undefined, info: keep('info'), warn: keep('warn'), error: keep('error') };
}

/** All four channel types, posting to the receiver; two checks, one with remind-every. */
export function channelsYaml(receiver: ChatReceiver): string {
  return `alerts:
  - { type: slack, url: "${receiver.url}/slack" }
  - { type: discord, url: "${receiver.url}/discord" }
  - { type: telegram, token: "123:abc", chat-id: "-100123", api-url: "${receiver.url}/tg" }
  - { type: webhook, url: "${receiver.url}/hook" }
checks:
  - { name: web, type: http, url: "http://127.0.0.1:9/health", remind-every: 1h }
  - { name: containers, type: compose, path: /nonexistent }
`;
}

let serial = 0;
/** A check_down event, each call a new state change unless `since` is given. */
export function downEvent(check = 'web', since = new Date(Date.UTC(2026, 10, 27, 3, 0, serial++)).toISOString()): AlertEvent {
  return { kind: 'check_down', check, checkType: 'http', since, error: 'HTTP 503 from http://127.0.0.1:9/health', at: since };
}

export interface Harness {
  alerting: Alerting;
  logger: Logger & { lines: string[] };
  registry: Registry;
  /** What the checks say, per check. */
  health: Map<string, CheckHealth>;
  /** What the backups say. */
  stale: Array<{
    name: string;
    freshness: { status: 'fresh' | 'stale' | 'never'; lastGoodAt: string | null; expectedSince: string | null };
  }>;
  /** The clock: real time while undefined. */
  now: { value: Date | undefined };
}

export async function startAlerting(storage: Storage, yaml: string, dispatch = FAST, clock = (): Date => new Date()): Promise<Harness> {
  const config = parseConfig(yaml, {});
  const logger = recordingLogger();
  const registry = new Registry();
  const health = new Map<string, CheckHealth>();
  const stale: Harness['stale'] = [];
  const now: Harness['now'] = { value: undefined };
  const backups: BackupFreshnessSource = { overview: async () => stale };
  const alerting = createAlerting({
    config,
    storage,
    logger,
    registry,
    secrets: [SECRET],
    backups,
    checks: { health: async (name) => health.get(name) },
    host: 'test-host',
    dispatch,
    watchIntervalMs: 3_600_000,
    storageRetryMs: 200,
    clock: () => now.value ?? clock(),
  });
  await alerting.start();
  return { alerting, logger, registry, health, stale, now };
}
