/** git command lines for the app's checkout on the server. Pure: argument lists only. */

export const gitCommands = {
  /** The checkout's git directory, where berth keeps its state (survives checkout and clean). */
  gitDir: (path: string): string[] => ['git', '-C', path, 'rev-parse', '--absolute-git-dir'],
  /** The commit checked out now. */
  head: (path: string): string[] => ['git', '-C', path, 'rev-parse', '--verify', '--quiet', 'HEAD^{commit}'],
  /** Fetches branches and tags from origin; never merges anything into the working tree. */
  fetch: (path: string): string[] => [
    'git',
    '-C',
    path,
    'fetch',
    '--quiet',
    '--force',
    '--tags',
    '--prune',
    'origin',
    '+refs/heads/*:refs/remotes/origin/*',
  ],
  /** Resolves a name to a commit; callers try `origin/<ref>` first so a branch means its fetched tip. */
  resolve: (path: string, ref: string): string[] => ['git', '-C', path, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`],
  /** Exits 0 when `ancestor` is an ancestor of (or is) `descendant`, 1 when not. */
  isAncestor: (path: string, ancestor: string, descendant: string): string[] => [
    'git',
    '-C',
    path,
    'merge-base',
    '--is-ancestor',
    ancestor,
    descendant,
  ],
  /** Checks out exactly that commit, detached, discarding local edits to tracked files. */
  checkout: (path: string, commit: string): string[] => ['git', '-C', path, 'checkout', '--quiet', '--force', '--detach', commit],
};

/**
 * Candidate names for a ref, most specific first. A branch always means origin's fetched tip,
 * never the server's local branch (which nothing updates): `main` and `refs/heads/main` both
 * resolve through `refs/remotes/origin/main`. Then tags, `origin/main`-style names and SHAs.
 */
export function refCandidates(ref: string): string[] {
  if (/^[0-9a-f]{40}$/.test(ref)) return [ref];
  const branch = /^refs\/heads\/(.+)$/.exec(ref)?.[1];
  if (branch) return [`refs/remotes/origin/${branch}`];
  if (ref.startsWith('refs/')) return [ref];
  const candidates = [`refs/remotes/origin/${ref}`, `refs/tags/${ref}`, `refs/remotes/${ref}`];
  return /^[0-9a-f]{4,39}$/.test(ref) ? [...candidates, ref] : candidates;
}
