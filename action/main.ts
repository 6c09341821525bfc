/** The action's run(): inputs → settings → engine → outputs, summary and annotations. */
import * as core from '@actions/core';
import { runCommand } from '../core/engine/run-command.js';
import { describeError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { SECRET_INPUTS } from '../core/settings/input-names.js';
import { parseSettings } from '../core/settings/parse-settings.js';

/** Masks a secret and each of its lines: the runner matches masks line by line. */
export function maskSecret(value: string): void {
  if (!value.trim()) return;
  core.setSecret(value);
  for (const line of value.split(/\r?\n/)) if (line.trim().length >= 4) core.setSecret(line.trim());
}

const actionLogger: Logger = {
  debug: (message) => core.debug(message),
  info: (message) => core.info(message),
  warn: (message) => core.warning(message),
  error: (message) => core.error(message),
};

export async function run(): Promise<void> {
  try {
    for (const name of SECRET_INPUTS) maskSecret(core.getInput(name));
    const settings = parseSettings((name) => core.getInput(name), { defaultRef: process.env.GITHUB_SHA });
    await runCommand(settings, { logger: actionLogger });
  } catch (error) {
    core.setFailed(describeError(error));
  }
}
