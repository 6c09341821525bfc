/** The manual commands by name. */
import type { Settings } from '../../settings/settings.js';
import type { EngineDeps } from '../engine-deps.js';
import type { Outcome } from '../outcome.js';
import { logs } from './logs.js';
import { restart } from './restart.js';
import { rollback } from './rollback.js';
import { status } from './status.js';
import type { ManualCommand } from './with-session.js';

export const MANUAL_COMMANDS: Readonly<Record<ManualCommand, (settings: Settings, deps: EngineDeps) => Promise<Outcome>>> = {
  rollback,
  restart,
  logs,
  status,
};
