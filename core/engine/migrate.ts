/**
 * The `migrate` step: `migrate-command` once per deploy, in a one-off container of the web service's
 * new image (its environment, volumes and network), after the build and before the new version
 * serves — before `up` (recreate), before the switch (blue-green), on the first host before any host
 * switches (several hosts). A failure fails the deploy there, with nothing started.
 */
import { BerthError, CommandFailedError } from '../errors.js';
import { Inputs } from '../settings/input-names.js';
import type { Settings } from '../settings/settings.js';
import type { RemoteApp } from './remote-app.js';
import type { Steps } from './steps.js';
import { findWebService } from './web-service.js';

/** The migration ran and failed (a non-zero exit, or a signal): the new version must not start. */
export class MigrationFailedError extends BerthError {
  override readonly name = 'MigrationFailedError';
}

/**
 * Runs `migrate-command` (nothing when there is none) in the step `migrate`, its output in the step's
 * group. `env` is Compose's environment for the run (blue-green: the new colour's BERTH_PORT);
 * `service` the web service when the caller found it in the new version (else it is found here).
 * Rejects with a StepError of step `migrate`: the web service not found (an InputError naming
 * `web-service`), the migration failed (MigrationFailedError), or the run was stopped.
 */
export async function runMigration(
  app: RemoteApp,
  settings: Settings,
  steps: Steps,
  env: Readonly<Record<string, string>> = {},
  service?: string,
): Promise<void> {
  const command = settings.migrateCommand;
  if (!command) return;
  // The checkout is the new commit's now: its Compose files say which service the new image is.
  const found = await (service ? Promise.resolve(service) : webServiceOf(app, settings)).then(
    (name) => ({ service: name }),
    (error: unknown) => ({ error }),
  );
  const title = 'service' in found ? `Run the migration in ${found.service}'s new image` : 'Run the migration';
  await steps.run('migrate', title, async () => {
    if (!('service' in found)) throw found.error;
    await app.migrate(found.service, command, env).catch((error: unknown) => {
      throw error instanceof CommandFailedError ? migrationFailed(error, found.service) : error;
    });
  });
}

/** The web service's name: `web-service`, else the one the Compose project shows; an InputError naming `web-service` when neither is. */
export async function webServiceOf(app: RemoteApp, settings: Settings): Promise<string> {
  return (await webServiceConfig(app, settings)).name;
}

/** The web service as the checked-out commit's rendered Compose config has it (see findWebService). */
export function webServiceConfig(app: RemoteApp, settings: Settings): ReturnType<typeof findWebService> {
  const where = `in ${settings.app.path} on ${app.where}`;
  return findWebService((env) => app.renderedConfig(env), settings.webService, where);
}

/** Says what failed without repeating the command line (the step's output shows it ran), with the end of its errors. */
function migrationFailed(error: CommandFailedError, service: string): MigrationFailedError {
  const how = error.code === null ? `was killed by signal ${error.signal ?? 'unknown'}` : `exited with code ${error.code}`;
  const tail = error.stderrTail.trim() ? `:\n${error.stderrTail.trimEnd()}` : '.';
  return new MigrationFailedError(
    `The migration (${Inputs.migrateCommand}) ${how} in a one-off container of ${service}'s new image on ${error.where}${tail}`,
    "The new version was not started: it starts only once its migration succeeds. The migration's output is in the migrate step.",
  );
}
