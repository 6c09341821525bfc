/** How the engine shows progress; the action, the CLI and tests each supply one. */
import type { RunOptions } from '../exec/executor.js';
import type { Logger } from '../log.js';
import { silentLogger } from '../log.js';

export interface Reporter {
  readonly logger: Logger;
  /** Runs fn inside a titled, collapsible group of the log. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  /** Live output of a remote or local command. */
  output(chunk: Buffer): void;
}

/** Run options that stream a command's stdout and stderr into the reporter's live output. */
export function liveOutput(reporter: Reporter): Required<Pick<RunOptions, 'onStdout' | 'onStderr'>> {
  const output = (chunk: Buffer): void => reporter.output(chunk);
  return { onStdout: output, onStderr: output };
}

export const silentReporter: Reporter = {
  logger: silentLogger,
  group: (_title, fn) => fn(),
  output: () => {},
};
