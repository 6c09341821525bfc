/**
 * A long command (a build, Compose's `up`) tied to the run that started it. sshd does not stop a
 * command when the runner is killed or the connection drops: it lives on as an orphan that goes on
 * building in the checkout, outside the lock, beside the next run that took it. Tied, the command
 * runs under a watcher of the channel's standard input, which the run holds open while it waits for
 * the command: when the input closes (the channel is gone), the command's whole process group is
 * stopped, as a cancel stops it. One constant script: the command is its positional parameters.
 */

/** The script's name ($0), so a process list, or a fake server, knows a tied command. */
export const TIED_NAME = 'berth-tied';

const TIED_SCRIPT = [
  // An asynchronous list reads /dev/null unless given another descriptor, hence fd 7 (as in the lock's script).
  'exec 7<&0',
  '{ cat >/dev/null; kill -TERM 0; } <&7 >/dev/null 2>&1 &',
  'exec 7<&- </dev/null',
  '"$@"',
].join('\n');

/** `argv`, stopped with its process group once its standard input closes; the caller holds the input open until it ends. */
export function tiedToRun(argv: readonly string[]): string[] {
  return ['sh', '-c', TIED_SCRIPT, TIED_NAME, ...argv];
}
