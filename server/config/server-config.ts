/** The companion server's typed configuration (a public contract: berth.yml keys, read by `load-config.ts`). */
import type { BackupSource } from '../../core/backup/dump-command.js';

export interface BackupConfig {
  readonly name: string;
  readonly source: BackupSource;
  readonly schedule: string;
  readonly timezone: string | undefined;
  readonly dir: string;
  readonly keepDays: number;
  readonly keepMin: number;
}

export type StorageConfig =
  { readonly kind: 'sqlite'; readonly path: string; readonly url: string } | { readonly kind: 'postgres'; readonly url: string };

/** What every check has, whatever its type. */
export interface CheckBase {
  readonly name: string;
  /** Cron, 5 or 6 fields (seconds first), UTC. */
  readonly schedule: string;
  /** Consecutive failures before the check is down. */
  readonly failures: number;
  /** Consecutive passes before a down check is up again. */
  readonly successes: number;
  readonly timeoutMs: number;
  /** Repeat a still-down alert this often; undefined: alert once per state change. */
  readonly remindEveryMs: number | undefined;
}

export interface HttpCheckConfig extends CheckBase {
  readonly type: 'http';
  readonly url: string;
  /** Accepted statuses; undefined means any 2xx. */
  readonly status: readonly number[] | undefined;
  /** Text the body must contain. */
  readonly contains: string | undefined;
  readonly followRedirects: boolean;
}

export interface ComposeCheckConfig extends CheckBase {
  readonly type: 'compose';
  readonly path: string;
  readonly projectName: string | undefined;
  readonly composeFiles: readonly string[];
}

export interface TcpCheckConfig extends CheckBase {
  readonly type: 'tcp';
  readonly host: string;
  readonly port: number;
}

export interface PostgresCheckConfig extends CheckBase {
  readonly type: 'postgres';
  readonly url: string;
}

export type CheckConfig = HttpCheckConfig | ComposeCheckConfig | TcpCheckConfig | PostgresCheckConfig;
export type CheckType = CheckConfig['type'];

/** A chat or webhook channel alerts go to. Delivery is server/alerts' business. */
export type AlertChannelConfig =
  | { readonly type: 'slack'; readonly url: string }
  | { readonly type: 'discord'; readonly url: string }
  | { readonly type: 'telegram'; readonly token: string; readonly chatId: string; readonly apiUrl: string }
  | { readonly type: 'webhook'; readonly url: string };

export interface GithubConfig {
  /** Without one, /webhooks/github answers 404: unsigned deliveries are never accepted. */
  readonly webhookSecret: string | undefined;
}

export interface ServerConfig {
  readonly port: number;
  /** Bearer token for /api; without one the server listens on 127.0.0.1 only. */
  readonly apiToken: string | undefined;
  readonly storage: StorageConfig;
  readonly backups: readonly BackupConfig[];
  readonly checks: readonly CheckConfig[];
  readonly alerts: readonly AlertChannelConfig[];
  readonly github: GithubConfig;
  /** `public`: `/` needs no token. */
  readonly statusPage: 'public' | 'private';
}

export const SERVER_DEFAULTS = {
  port: 8080,
  storageUrl: 'sqlite:./data/berth.db',
  schedule: '0 6 * * *',
  keepDays: 30,
  keepMin: 3,
  checkSchedule: '*/30 * * * *',
  checkFailures: 2,
  checkSuccesses: 1,
  checkTimeoutSeconds: 10,
  telegramApiUrl: 'https://api.telegram.org',
  statusPage: 'private',
} as const;
