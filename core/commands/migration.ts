/**
 * The migration's command line inside its one-off container. `sh -c <command>` alone would be the
 * container's first process, which ignores TERM: a cancel (Compose v1 stops the container, v2 forwards
 * the signal) would leave the migration running for Docker's whole stop timeout, or, with v2, until it
 * ends. So a constant script runs the command as its child and exits on TERM, ending the container and
 * with it the migration; otherwise it ends with the command's exit status.
 */

/** The script's name ($0), so a process list or `docker ps` shows what runs. */
export const MIGRATION_NAME = 'berth-migrate';

const MIGRATION_SCRIPT = ['trap "exit 143" TERM INT HUP', 'sh -c "$1" &', 'wait $!'].join('\n');

/** `sh -c <command>` in the image, ended at once when the container is told to stop. */
export function migrationArgv(command: string): string[] {
  return ['sh', '-c', MIGRATION_SCRIPT, MIGRATION_NAME, command];
}
