/**
 * Inputs only the server can check, checked before anything changes: `services` must name services of the
 * app's Compose project, so a typo fails clearly instead of Compose's "No such service" after a lock and a release.
 */
import { InputError } from '../errors.js';
import { Inputs } from '../settings/input-names.js';
import type { AppSettings } from '../settings/settings.js';
import { show } from '../settings/validators.js';
import type { RemoteApp } from './remote-app.js';
import { StepError } from './steps.js';

/** Rejects with a StepError of step `inputs` naming every unknown service and the known ones. */
export async function checkServices(app: RemoteApp, settings: AppSettings): Promise<void> {
  if (settings.services.length === 0) return;
  const known = await app.serviceNames();
  const unknown = settings.services.filter((name) => !known.includes(name));
  if (unknown.length === 0) return;
  const what = unknown.length === 1 ? 'is not a service' : 'are not services';
  throw new StepError(
    'inputs',
    new InputError(
      `Invalid input '${Inputs.services}': ${unknown.map(show).join(', ')} ${what} of the Compose project in ${settings.path} on ${app.where}. Expected names from: ${known.join(', ') || '(none)'}.`,
      'Nothing was changed on the server.',
    ),
  );
}
