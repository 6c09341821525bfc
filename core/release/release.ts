/**
 * A release and the one place its state changes: pending → in_progress → succeeded | failed |
 * rolled_back | cancelled | superseded.
 */
import type { ContainerState } from '../health/containers.js';

/**
 * `cancelled`: the run was stopped (GitHub's cancel, Ctrl-C) in `failedStep`, or, on several hosts,
 * never started here because another host failed first; what runs is the old version, untouched or
 * rolled back to. `superseded`: a push deploy that got the lock after a newer
 * commit went live, and skipped itself. A release a dead run left `in_progress` is marked `failed`
 * with an error starting `interrupted` by the next run that takes the lock.
 */
export const RELEASE_STATES = ['pending', 'in_progress', 'succeeded', 'failed', 'rolled_back', 'cancelled', 'superseded'] as const;
export type ReleaseState = (typeof RELEASE_STATES)[number];
/**
 * The steps a run can fail in. A deploy's: `pull` fetches registry images; `up` builds and starts in
 * one Compose run and is recorded as `build` when building failed. The manual commands' own steps.
 * `inputs`: an input did not match the server (an unknown service, a ref its repository does not
 * have), found before anything changed.
 */
export type StepName =
  | 'inputs'
  | 'lint'
  | 'connect'
  | 'lock'
  | 'fetch'
  | 'pull'
  | 'build'
  | 'migrate'
  | 'up'
  | 'ready'
  | 'switch'
  | 'health'
  | 'rollback'
  | 'restart'
  | 'logs'
  | 'status';

export interface StepRecord {
  readonly name: StepName;
  readonly result: 'succeeded' | 'failed';
  readonly durationMs: number;
}

export interface Release {
  readonly id: string;
  /** What was asked for (a branch, tag or SHA) and the commit it resolved to. */
  readonly ref: string;
  readonly commit: string | undefined;
  readonly previousCommit: string | undefined;
  readonly state: ReleaseState;
  readonly failedStep: StepName | undefined;
  readonly error: string | undefined;
  readonly startedAt: string;
  readonly finishedAt: string | undefined;
  readonly steps: readonly StepRecord[];
  /** Service → image id it ran, for a rollback without rebuilding. */
  readonly images: Readonly<Record<string, string>>;
  /** Service → image name Compose uses. */
  readonly imageNames: Readonly<Record<string, string>>;
  /** Swarm: the rendered stack file it deployed, kept on the server so a rollback redeploys exactly that. */
  readonly stackFile?: string | undefined;
  /** For a rollback: the commit the failed release or operator rolled back from. */
  readonly rolledBackFrom?: string | undefined;
}

const ALLOWED: Record<ReleaseState, readonly ReleaseState[]> = {
  pending: ['in_progress', 'failed', 'cancelled'],
  in_progress: ['succeeded', 'failed', 'rolled_back', 'cancelled', 'superseded'],
  // A run on several hosts takes back a host that went live when another host failed.
  succeeded: ['rolled_back'],
  failed: ['rolled_back'],
  rolled_back: [],
  cancelled: [],
  superseded: [],
};

export class InvalidTransitionError extends Error {
  override readonly name = 'InvalidTransitionError';
}

/** Returns the release in its new state; refuses transitions the lifecycle does not have. */
export function transition(
  release: Release,
  to: ReleaseState,
  patch: Partial<Omit<Release, 'id' | 'state'>> = {},
  now = new Date(),
): Release {
  if (!ALLOWED[release.state].includes(to)) {
    throw new InvalidTransitionError(`A release cannot go from ${release.state} to ${to}.`);
  }
  const final = to !== 'in_progress';
  return { ...release, ...patch, state: to, finishedAt: final ? now.toISOString() : release.finishedAt };
}

/** A new pending release. Ids sort by time. */
export function newRelease(ref: string, previousCommit: string | undefined, now = new Date()): Release {
  const id = `${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${Math.random().toString(36).slice(2, 6)}`;
  return {
    id,
    ref,
    commit: undefined,
    previousCommit,
    state: 'pending',
    failedStep: undefined,
    error: undefined,
    startedAt: now.toISOString(),
    finishedAt: undefined,
    steps: [],
    images: {},
    imageNames: {},
  };
}

/** What runs on the server, as the release history says. */
export interface Running {
  /** The release that went live last; undefined before any did. */
  readonly release: Release | undefined;
  readonly commit: string | undefined;
}

/**
 * What runs, read from the release history rather than the checkout (which a build in progress or
 * a killed run moves before anything starts): the release that went live last (see `leftRunning`);
 * before any did, the commit the first release found running; with no history at all, the checkout.
 */
export function whatRuns(history: readonly Release[], checkedOut: string | undefined): Running {
  const release = [...history].reverse().find(leftRunning);
  if (release) return { release, commit: release.commit };
  return { release: undefined, commit: history.length > 0 ? history[0]?.previousCommit : checkedOut };
}

/**
 * Whether a release's own version went live and stayed: it succeeded (a deploy, or a rollback by
 * hand), or it is a deploy that started and then failed its health check with no rollback tried
 * (`rollback-on-failure` off, or nothing to go back to), so its containers run although unhealthy.
 */
export function leftRunning(release: Release): boolean {
  if (release.commit === undefined) return false;
  if (release.state === 'succeeded') return true;
  return release.state === 'failed' && release.failedStep === 'health' && !release.steps.some((s) => s.name === 'rollback');
}

/** The newest release that succeeded, optionally other than a given commit. */
export function lastGood(history: readonly Release[], exceptCommit?: string): Release | undefined {
  return [...history].reverse().find((r) => r.state === 'succeeded' && r.commit !== undefined && r.commit !== exceptCommit);
}

/** What a release records of the images its containers run, so a rollback can reuse them without rebuilding. */
export function releaseImages(containers: readonly ContainerState[]): Pick<Release, 'images' | 'imageNames'> {
  const images: Record<string, string> = {};
  const imageNames: Record<string, string> = {};
  for (const c of containers) {
    images[c.service] = c.imageId;
    imageNames[c.service] = c.image;
  }
  return { images, imageNames };
}

/** How a release a dead run left in progress is recorded: its error starts with this. */
export const INTERRUPTED = 'interrupted';

/**
 * The releases a run that is gone left `in_progress` (its connection dropped, or it was killed),
 * marked failed. Only a run that holds the lock, or could take it at once, may say so: the lock
 * is held for a run's whole life, so when it is free no run is alive.
 */
export function markInterrupted(history: readonly Release[], foundBy: string, now = new Date()): Release[] {
  return history
    .filter((r) => r.state === 'in_progress' || r.state === 'pending')
    .map((r) =>
      transition(
        r,
        'failed',
        {
          error: `${INTERRUPTED}: the run that made this release ended without recording how (its connection dropped, or it was killed); found by ${foundBy}.`,
        },
        now,
      ),
    );
}
