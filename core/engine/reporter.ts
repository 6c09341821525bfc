/** How the engine shows progress; the action, the CLI and tests each supply one. */
import type { Logger } from '../log.js';
import { silentLogger } from '../log.js';

export interface Reporter {
  readonly logger: Logger;
  /** Runs fn inside a titled, collapsible group of the log. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  /** Live output of a remote or local command. */
  output(chunk: Buffer): void;
}

export const silentReporter: Reporter = {
  logger: silentLogger,
  group: (_title, fn) => fn(),
  output: () => {},
};
