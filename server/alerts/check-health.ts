/** The checks as alerts need them: a check's health now (run again when a deploy just ended), and a compose project's failing logs. */
import type { CheckService } from '../checks/check-service.js';
import { runCheck } from '../checks/run-check.js';
import type { ComposeLogs } from './alert-context.js';
import type { CheckHealthSource } from './alert-service.js';

export function checkHealth(checks: CheckService): CheckHealthSource {
  return {
    health: async (name, rerun) => {
      // A check that is running already (busy) or no longer configured is read as it stands.
      if (rerun) await checks.run(name).catch(() => undefined);
      const [overview] = await checks.overview(1, name);
      return overview && { health: overview.health, since: overview.since, error: overview.lastResult?.error };
    },
  };
}

/** The compose check's own probe, for a failed deploy's alert: the first failing service's last log lines. */
export const composeLogTail: ComposeLogs = async (check) => {
  const { details } = await runCheck(check);
  const service = details?.failingServices?.[0];
  return service && details?.logTail ? { service, lines: details.logTail } : undefined;
};
