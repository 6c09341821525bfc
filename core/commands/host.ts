/** Command lines about the server itself. Pure: argument lists only. */

export const hostCommands = {
  /** The server's clock, in whole seconds since the epoch (UTC): Docker's times are on this clock, not the runner's. */
  clock: (): string[] => ['date', '-u', '+%s'],
};
