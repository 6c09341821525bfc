/**
 * The deploy lock's queue on the server, as one constant script: every value is a positional
 * parameter, never spliced into the script text.
 *
 * Runs that wait take the lock in the order they asked. Each takes a ticket named by its arrival
 * (a number counted under the queue's own flock, in `queue/`) and holds an flock on it for its whole
 * life; it waits until every earlier ticket's holder is gone (a blocking flock on each: a finished or
 * dead holder's lock is free, and its ticket file is removed), then takes the lock itself, writes
 * who holds it beside it, prints `locked`, and holds both until its stdin closes — the run released
 * it, or its connection is gone. So the lock dies with its channel, and so does a waiter's ticket.
 */

import { LOCK_OWNER_UNWRITABLE } from './files.js';
import { stdinWatcher } from './tied.js';

/** The script's exit code when the queue's files cannot be made (sysexits' EX_IOERR). */
export const LOCK_QUEUE_UNWRITABLE = 74;

const QUEUE_SCRIPT = [
  'lock=$1 owner=$2 queue=$3 ticket= w= said=',
  'command -v flock >/dev/null 2>&1 || exit 127',
  `mkdir -p -- "$queue" || exit ${LOCK_QUEUE_UNWRITABLE}`,
  // On any end: drop this run's ticket, and stop a wait in progress.
  'trap \'rm -f -- "$ticket"; [ -z "$w" ] || kill "$w" 2>/dev/null\' EXIT',
  "trap 'exit 143' TERM HUP INT",
  // The channel's stdin stays open while the run lives; when it closes, everything here ends.
  ...stdinWatcher('$$'),
  'watcher=$!',
  'exec 7<&-',
  // The ticket: the next number, under the queue's lock, created and locked before anyone can see it.
  `exec 3>>"$queue/next.lock" && flock -x 3 || exit ${LOCK_QUEUE_UNWRITABLE}`,
  'n=$(cat -- "$queue/next" 2>/dev/null)',
  "case $n in '' | *[!0-9]*) n=0 ;; esac",
  'n=$((n + 1))',
  `printf '%s\\n' "$n" > "$queue/next" || exit ${LOCK_QUEUE_UNWRITABLE}`,
  `ticket=$(printf '%s/%012d' "$queue" "$n")`,
  `printf '%s\\n' "$owner" > "$ticket" && exec 4<"$ticket" && flock -x -n 4 || exit ${LOCK_QUEUE_UNWRITABLE}`,
  'exec 3>&-',
  // Waits in the background, so that a TERM (the channel closed) ends the wait at once.
  'take() {',
  '  flock -x -n "$1" && return 0',
  '  [ -n "$said" ] || { echo waiting; said=1; }',
  // Its output goes nowhere: should a TERM land between the fork and `w=$!` (so the trap cannot stop
  // it), a waiter left behind must not hold the channel's stdout open, or the run's release would
  // wait for the channel to close until that earlier run ended.
  '  flock -x "$1" 4<&- >/dev/null 2>&1 & w=$!',
  '  wait "$w"; s=$?; w=; return $s',
  '}',
  // Every earlier ticket, oldest first: wait until its run is gone (finished, cancelled, dead), then drop it.
  'for f in "$queue"/[0-9]*; do',
  '  [ "$f" = "$ticket" ] && break',
  '  { take 6 && rm -f -- "$f"; } 2>/dev/null 6<"$f"',
  'done',
  // The lock itself: free now, unless a run that does not queue holds it.
  'exec 5>>"$lock" || exit 1',
  'take 5 || exit 1',
  `printf '%s\\n' "$owner" > "$lock.owner" || exit ${LOCK_OWNER_UNWRITABLE}`,
  'echo locked',
  'wait "$watcher"',
].join('\n');

export const lockCommands = {
  /**
   * Queues for the lock `file` (tickets in `queueDir`), takes it in arrival order, prints `waiting`
   * once when it has to wait and `locked` once it holds it, and holds it until stdin closes.
   */
  queue: (file: string, owner: string, queueDir: string): string[] => ['sh', '-c', QUEUE_SCRIPT, 'berth-lock', file, owner, queueDir],
};
