/** The logger the core writes to; each adapter (action, CLI, server) supplies its own. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A logger that drops everything, for tests and quiet callers. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** A logger that writes to the console, one line per message. */
export const consoleLogger: Logger = {
  debug: (message) => {
    if (process.env.BERTH_DEBUG) console.error(`debug: ${message}`);
  },
  info: (message) => console.error(message),
  warn: (message) => console.error(`warning: ${message}`),
  error: (message) => console.error(`error: ${message}`),
};
