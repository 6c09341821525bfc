/** Runs one berth command against a server. */
import { BerthError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Settings } from '../settings/settings.js';
import { connectSsh } from '../ssh/ssh-connection.js';

export interface EngineDeps {
  readonly logger: Logger;
}

export async function runCommand(settings: Settings, deps: EngineDeps): Promise<void> {
  const connection = await connectSsh(settings.ssh, { logger: deps.logger });
  try {
    deps.logger.info(`Connected to ${connection.where}.`);
    throw new BerthError(`The '${settings.command}' command is not implemented yet.`);
  } finally {
    await connection.close();
  }
}
