/** Runs one berth command; the action and the CLI both call this. */
import { deployFleet } from '../fleet/fleet-deploy.js';
import { manualOnFleet } from '../fleet/fleet-manual.js';
import type { Settings } from '../settings/settings.js';
import { deploy, type Outcome } from './deploy.js';
import type { EngineDeps } from './engine-deps.js';
import { MANUAL_COMMANDS } from './manual/commands.js';
import { hostOutcomeOf } from './outcome.js';

/** Runs the command on the one host, or on every host of the list; the outcome has a row per host. */
export async function runCommand(settings: Settings, deps: EngineDeps): Promise<Outcome> {
  const [host, ...more] = settings.hosts;
  if (more.length > 0) return settings.command === 'deploy' ? deployFleet(settings, deps) : manualOnFleet(settings.command, settings, deps);
  const outcome = await runOnOneHost(settings, deps);
  return { ...outcome, hosts: host ? [hostOutcomeOf(host.label, outcome)] : [] };
}

function runOnOneHost(settings: Settings, deps: EngineDeps): Promise<Outcome> {
  return settings.command === 'deploy' ? deploy(settings, deps) : MANUAL_COMMANDS[settings.command](settings, deps);
}
