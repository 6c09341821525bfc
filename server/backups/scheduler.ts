/** Runs each backup on its cron schedule (node-cron, in its time zone, never overlapping itself). */
import { type ScheduledTask, schedule } from 'node-cron';
import { describeError } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { BackupConfig } from '../config/server-config.js';
import type { BackupService } from './backup-service.js';

export function scheduleBackups(configs: readonly BackupConfig[], service: BackupService, logger: Logger): { stop(): void } {
  const tasks: ScheduledTask[] = configs.map((config) =>
    schedule(
      config.schedule,
      async () => {
        await service
          .run(config.name, 'schedule')
          .catch((error: unknown) => logger.warn(`backup ${config.name}: not run: ${describeError(error)}`));
      },
      { name: `backup:${config.name}`, noOverlap: true, ...(config.timezone ? { timezone: config.timezone } : {}) },
    ),
  );
  for (const config of configs)
    logger.info(
      `backup ${config.name}: scheduled '${config.schedule}'${config.timezone ? ` (${config.timezone})` : ' (UTC)'} into ${config.dir}`,
    );
  return {
    stop: () => {
      for (const task of tasks) void task.stop();
    },
  };
}
