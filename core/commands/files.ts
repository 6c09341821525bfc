/**
 * File commands for berth's state on the server. Scripts are constants; every value
 * is a positional parameter ("$1"), never spliced into the script text.
 */

/** holdLock's exit code when it holds the lock but cannot write the owner file (sysexits' EX_CANTCREAT). */
export const LOCK_OWNER_UNWRITABLE = 73;

export const fileCommands = {
  /**
   * What makes a folder one folder on one machine: the kernel's boot id (random per boot, so two
   * machines differ even when cloned from one image), then the folder's device and inode.
   */
  identity: (path: string): string[] => [
    'sh',
    '-c',
    'cat /proc/sys/kernel/random/boot_id && stat -L -c %d:%i -- "$1"',
    'berth-identity',
    path,
  ],
  /** Prints the file, or nothing when it does not exist. */
  read: (file: string): string[] => ['sh', '-c', 'if [ -f "$1" ]; then cat -- "$1"; fi', 'berth-read', file],
  /**
   * Replaces the file atomically with stdin (write to a temporary name, then rename). A write that
   * fails (a full disk) leaves the file as it was and removes its partial copy.
   */
  writeAtomic: (file: string): string[] => [
    'sh',
    '-c',
    'mkdir -p -- "$(dirname -- "$1")" || exit; t="$1.tmp.$$"; { cat > "$t" && mv -f -- "$t" "$1"; } || { s=$?; rm -f -- "$t"; exit "$s"; }',
    'berth-write',
    file,
  ],
  /**
   * Holds an exclusive flock on `file` for as long as the command's stdin stays open, and
   * prints `locked` once it holds it. The lock dies with the process, so a run that is
   * cancelled or loses its connection never leaves a stale lock. Short flags: busybox's
   * flock takes them too. On conflict flock exits 1 without running the script; when the
   * owner file cannot be written the script exits LOCK_OWNER_UNWRITABLE, so the two differ.
   */
  holdLock: (file: string, owner: string): string[] => [
    'flock',
    '-x',
    '-n',
    file,
    'sh',
    '-c',
    `printf "%s\\n" "$2" > "$1.owner" || exit ${LOCK_OWNER_UNWRITABLE}; echo locked && exec cat > /dev/null`,
    'berth-lock',
    file,
    owner,
  ],
  makeDir: (dir: string): string[] => ['mkdir', '-p', '--', dir],
  /** Removes the file; one that is not there is fine. */
  remove: (file: string): string[] => ['rm', '-f', '--', file],
  /** Removes the `.yml` files in `dir` other than those listed (full paths); a missing dir is fine. */
  removeOthers: (dir: string, keep: readonly string[]): string[] => [
    'sh',
    '-c',
    'dir=$1; shift; for f in "$dir"/*.yml; do [ -e "$f" ] || continue; k=; for x in "$@"; do [ "$f" = "$x" ] && k=1; done; [ -n "$k" ] || rm -f -- "$f"; done',
    'berth-prune',
    dir,
    ...keep,
  ],
};
