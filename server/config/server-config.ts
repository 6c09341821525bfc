/** The companion server's typed configuration (a public contract: berth.yml keys). */
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

export interface ServerConfig {
  readonly port: number;
  /** Bearer token for /api; without one the server listens on 127.0.0.1 only. */
  readonly apiToken: string | undefined;
  readonly storage: StorageConfig;
  readonly backups: readonly BackupConfig[];
}

export const SERVER_DEFAULTS = {
  port: 8080,
  storageUrl: 'sqlite:./data/berth.db',
  schedule: '0 6 * * *',
  keepDays: 30,
  keepMin: 3,
} as const;
