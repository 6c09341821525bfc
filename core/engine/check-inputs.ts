/**
 * Inputs only the server can check, checked before anything changes: `services` must name services of the
 * app's Compose project, so a typo fails clearly instead of Compose's "No such service" after a lock and a release.
 */
import { InputError } from '../errors.js';
import { Inputs } from '../settings/input-names.js';
import type { AppSettings } from '../settings/settings.js';
import { show } from '../settings/validators.js';
import type { AppRuntime } from './app-runtime.js';
import type { RemoteApp } from './remote-app.js';
import type { Steps } from './steps.js';

/**
 * The `inputs` step, when there are inputs to check (named services, or what the runtime checks: blue-green's
 * web service and ports); rejects with a StepError of step `inputs`.
 */
export async function checkInputs(app: RemoteApp, settings: AppSettings, steps: Steps, runtime?: AppRuntime): Promise<void> {
  const ownChecks = runtime?.checkInputs?.bind(runtime);
  if (settings.services.length === 0 && !ownChecks) return;
  await steps.run('inputs', 'Check the inputs on the server', async () => {
    if (settings.services.length > 0) await checkServices(app, settings);
    await ownChecks?.();
  });
}

/** Rejects with an InputError naming every unknown service and the known ones. */
async function checkServices(app: RemoteApp, settings: AppSettings): Promise<void> {
  const known = await app.serviceNames();
  const unknown = settings.services.filter((name) => !known.includes(name));
  if (unknown.length === 0) return;
  const what = unknown.length === 1 ? 'is not a service' : 'are not services';
  throw new InputError(
    `Invalid input '${Inputs.services}': ${unknown.map(show).join(', ')} ${what} of the Compose project in ${settings.path} on ${app.where}. Expected names from: ${known.join(', ') || '(none)'}.`,
    'Nothing was changed on the server.',
  );
}
