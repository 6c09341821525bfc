/**
 * Two host lines can name one checkout: one machine by two names (`localhost` and `127.0.0.1`), or
 * two sshds of one machine with the same path. A run would then lock it twice (waiting on itself
 * until `lock-timeout`) or roll it back twice; it is found before anything is locked.
 */
import type { RemoteApp } from '../engine/remote-app.js';
import { InputError } from '../errors.js';
import { Inputs } from '../settings/input-names.js';
import { StepError } from '../engine/steps.js';

interface OnHost {
  readonly label: string;
  readonly settings: { readonly app: { readonly path: string } };
  readonly session: { readonly app: RemoteApp };
}

/** Each host (after the first) whose checkout is one an earlier host of the list already names, with the error saying so. */
export async function repeatedCheckouts<H extends OnHost>(hosts: readonly H[]): Promise<Array<{ host: H; failure: StepError }>> {
  // A checkout whose identity cannot be read (not Linux, no folder yet) is not compared: its own steps say what is wrong.
  const identities = await Promise.all(hosts.map((host) => host.session.app.identity().catch(() => undefined)));
  const repeated: Array<{ host: H; failure: StepError }> = [];
  hosts.forEach((host, index) => {
    const identity = identities[index];
    const first = identity === undefined ? -1 : identities.indexOf(identity);
    const earlier = hosts[first];
    if (first === index || !earlier) return;
    const error = new InputError(
      `Invalid input '${Inputs.host}': ${host.label} and ${earlier.label} are one checkout (${host.settings.app.path} on one machine), so a run would lock it twice. Nothing was changed.`,
      'List each checkout once: two names of one machine, or two sshds of one machine, need different paths.',
    );
    repeated.push({ host, failure: new StepError('inputs', error) });
  });
  return repeated;
}
