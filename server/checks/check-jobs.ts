/** Each configured check as a cron job; a tick while the same check runs (say, started through the API) is a logged skip. */
import type { Logger } from '../../core/log.js';
import type { CronJob } from '../schedule/cron-jobs.js';
import type { CheckService } from './check-service.js';

export function checkJobs(service: CheckService, logger: Logger): CronJob[] {
  if (service.configs.length > 0) logger.info(`checks: ${service.configs.map((c) => `${c.name} (${c.type}, '${c.schedule}')`).join(', ')}`);
  return service.configs.map((config) => ({
    key: `check:${config.name}`,
    schedule: config.schedule,
    run: async () => void (await service.run(config.name)),
  }));
}
