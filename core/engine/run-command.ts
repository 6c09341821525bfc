/** Runs one berth command; the action and the CLI both call this. */
import type { Settings } from '../settings/settings.js';
import { deploy, type Outcome } from './deploy.js';
import type { EngineDeps } from './engine-deps.js';
import { logs } from './manual/logs.js';
import { restart } from './manual/restart.js';
import { rollback } from './manual/rollback.js';
import { status } from './manual/status.js';

export function runCommand(settings: Settings, deps: EngineDeps): Promise<Outcome> {
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
