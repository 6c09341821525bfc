/** The engine's progress in the job log: a collapsible group per step, remote output streamed live. */
import * as core from '@actions/core';
import type { Reporter } from '../core/engine/reporter.js';
import type { Logger } from '../core/log.js';

export const actionLogger: Logger = {
  debug: (message) => core.debug(message),
  info: (message) => core.info(message),
  warn: (message) => core.warning(message),
  error: (message) => core.info(`✖ ${message}`),
};

export const actionReporter: Reporter = {
  logger: actionLogger,
  group: (title, fn) => core.group(title, fn),
  output: (chunk) => {
    process.stdout.write(chunk);
  },
};
