/** Each configured backup as a cron job; a tick while the same backup runs (say, started through the API) is a logged skip. */
import type { Logger } from '../../core/log.js';
import type { BackupConfig } from '../config/server-config.js';
import type { CronJob } from '../schedule/cron-jobs.js';
import type { BackupService } from './backup-service.js';

export function backupJobs(configs: readonly BackupConfig[], service: BackupService, logger: Logger): CronJob[] {
  for (const config of configs)
    logger.info(
      `backup ${config.name}: scheduled '${config.schedule}'${config.timezone ? ` (${config.timezone})` : ' (UTC)'} into ${config.dir}`,
    );
  return configs.map((config) => ({
    key: `backup:${config.name}`,
    schedule: config.schedule,
    timezone: config.timezone,
    run: async () => void (await service.run(config.name, 'schedule')),
  }));
}
