/** Runs one berth command; the action and the CLI both call this. */
import type { Settings } from '../settings/settings.js';
import { type DeployDeps, deploy, type Outcome } from './deploy.js';
import { logs, restart, rollback, status } from './operations.js';

export function runCommand(settings: Settings, deps: DeployDeps): Promise<Outcome> {
  switch (settings.command) {
    case 'deploy':
      return deploy(settings, deps);
    case 'rollback':
      return rollback(settings, deps);
    case 'restart':
      return restart(settings, deps);
    case 'logs':
      return logs(settings, deps);
    case 'status':
      return status(settings, deps);
  }
}
