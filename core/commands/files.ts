/**
 * File commands for berth's state on the server. Scripts are constants; every value
 * is a positional parameter ("$1"), never spliced into the script text.
 */

export const fileCommands = {
  /** Prints the file, or nothing when it does not exist. */
  read: (file: string): string[] => ['sh', '-c', 'if [ -f "$1" ]; then cat -- "$1"; fi', 'berth-read', file],
  /** Replaces the file atomically with stdin (write to a temporary name, then rename). */
  writeAtomic: (file: string): string[] => [
    'sh',
    '-c',
    'mkdir -p -- "$(dirname -- "$1")" && cat > "$1.tmp.$$" && mv -f -- "$1.tmp.$$" "$1"',
    'berth-write',
    file,
  ],
  /** Atomic lock: mkdir fails when the directory exists. The holder's details go inside. */
  lock: (dir: string): string[] => [
    'sh',
    '-c',
    'mkdir -p -- "$(dirname -- "$1")" && mkdir -- "$1" 2>/dev/null && cat > "$1/owner"',
    'berth-lock',
    dir,
  ],
  unlock: (dir: string): string[] => ['rm', '-rf', '--', dir],
};
