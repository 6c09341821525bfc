/** Each configured backup as a cron job; a tick while the same backup runs (say, started through the API) is skipped. */
import type { Logger } from '../../core/log.js';
import type { BackupConfig } from '../config/server-config.js';
import type { CronJob } from '../schedule/cron-jobs.js';
import { BackupBusyError, type BackupService } from './backup-service.js';

export function backupJobs(configs: readonly BackupConfig[], service: BackupService, logger: Logger): CronJob[] {
  for (const config of configs)
    logger.info(
      `backup ${config.name}: scheduled '${config.schedule}'${config.timezone ? ` (${config.timezone})` : ' (UTC)'} into ${config.dir}`,
    );
  return configs.map((config) => ({
    key: `backup:${config.name}`,
    schedule: config.schedule,
    timezone: config.timezone,
    run: async () => {
      try {
        await service.run(config.name, 'schedule');
      } catch (error) {
        if (!(error instanceof BackupBusyError)) throw error;
        logger.warn(`backup:${config.name}: skipped a tick: ${error.message}`);
      }
    },
  }));
}
