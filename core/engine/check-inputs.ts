/**
 * Inputs only the server can check, checked before anything changes: `services` must name services of the
 * app's Compose project, so a typo fails clearly instead of Compose's "No such service" after a lock and a
 * release; a deploy with `migrate-command` must find its web service (`web-service`, or the one the
 * project shows) before it locks and builds.
 */
import { InputError } from '../errors.js';
import { Inputs } from '../settings/input-names.js';
import type { AppSettings, Settings } from '../settings/settings.js';
import { show } from '../settings/validators.js';
import { webServiceOf } from './migrate.js';
import type { RemoteApp } from './remote-app.js';
import type { Steps } from './steps.js';

type Check = () => Promise<unknown>;

/** The `inputs` step, when there are inputs to check (named services); rejects with a StepError of step `inputs`. */
export async function checkInputs(app: RemoteApp, settings: AppSettings, steps: Steps): Promise<void> {
  await inputsStep(steps, settings.services.length > 0 ? [() => checkServices(app, settings)] : []);
}

/**
 * A deploy's `inputs` step: named services, and the web service when a migration runs in it. The
 * checkout is still what runs, so this catches a typo early; the migrate step finds the web service
 * again in the new commit.
 */
export async function checkDeployInputs(app: RemoteApp, settings: Settings, steps: Steps): Promise<void> {
  const checks: Check[] = [];
  if (settings.app.services.length > 0) checks.push(() => checkServices(app, settings.app));
  if (settings.migrateCommand) checks.push(() => webServiceOf(app, settings));
  await inputsStep(steps, checks);
}

/** Runs the checks at once in the `inputs` step; every input error is reported together. */
async function inputsStep(steps: Steps, checks: readonly Check[]): Promise<void> {
  if (checks.length === 0) return;
  await steps.run('inputs', 'Check the inputs on the server', async () => {
    const results = await Promise.allSettled(checks.map((check) => check()));
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    const other = errors.find((error) => !(error instanceof InputError));
    if (other !== undefined || errors.length < 2) {
      if (errors.length > 0) throw other ?? errors[0];
      return;
    }
    const inputErrors = errors as InputError[];
    const hints = [...new Set(inputErrors.map((error) => error.hint ?? ''))].filter(Boolean);
    throw new InputError(inputErrors.map((error) => error.message).join('\n'), hints.join(' '));
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
