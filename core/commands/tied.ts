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

/**
 * Script lines that start a watcher of the script's standard input, which sends TERM to `target`
 * (`$$`: the script; `0`: its process group) once the input closes. An asynchronous list reads
 * /dev/null unless given another descriptor, hence fd 7; the caller closes it after (`exec 7<&-`).
 */
export function stdinWatcher(target: '$$' | '0'): string[] {
  return ['exec 7<&0', `{ cat >/dev/null; kill -TERM ${target}; } <&7 >/dev/null 2>&1 &`];
}

const TIED_SCRIPT = [...stdinWatcher('0'), 'exec 7<&- </dev/null', '"$@"'].join('\n');

/** `argv`, stopped with its process group once its standard input closes; the caller holds the input open until it ends. */
export function tiedToRun(argv: readonly string[]): string[] {
  return ['sh', '-c', TIED_SCRIPT, TIED_NAME, ...argv];
}

/**
 * The command in a process group of its own (setsid), out of reach of the signals sshd (a cancel) and
 * the watcher send to the script's group; the script then kills that group at once (KILL), so the
 * command gets no chance to clean up. For Compose v1's `up` without --detach (as `up --no-start` must
 * be): on SIGINT or SIGTERM it stops every container of the services it was given, the live blue-green
 * colour included. Without setsid on the server, the command runs in the script's group as tiedToRun's does.
 */
const KILLED_SCRIPT = [
  ...stdinWatcher('0'),
  'exec 7<&- </dev/null',
  'if command -v setsid >/dev/null 2>&1; then setsid "$@" & else "$@" & fi',
  'child=$!',
  `trap 'kill -KILL -$child 2>/dev/null || kill -KILL $child 2>/dev/null' INT TERM HUP`,
  // wait returns early when a trapped signal arrives: wait again until the child is reaped.
  'while :; do wait $child; status=$?; kill -0 $child 2>/dev/null || exit $status; done',
].join('\n');

/** `argv` tied to the run as tiedToRun's, but killed (KILL, its own process group) where tiedToRun's gets TERM. */
export function tiedAndKilled(argv: readonly string[]): string[] {
  return ['sh', '-c', KILLED_SCRIPT, TIED_NAME, ...argv];
}
