/**
 * The orchestrator seam: what differs between Compose on one host and a Docker Swarm stack.
 * The deploy flow and the manual commands ask the app's runtime to verify, ship, prove, keep,
 * restore, check, restart and show logs; they never ask which orchestrator it is. The git
 * checkout, the lock and the release history are the same for both (RemoteApp, ReleaseStore).
 */
import type { CheckVerdict } from '../health/wait-healthy.js';
import type { Release } from '../release/release.js';
import type { HealthDeps } from './health-check.js';
import type { Outcome } from './outcome.js';
import type { RemoteApp } from './remote-app.js';
import type { Steps } from './steps.js';

/** Each service's state, health and image, as the `services` output shows them. */
export type ServicesSummary = Outcome['services'];

/** A version proven healthy: what the outcome shows, and what its release records for a rollback. */
export interface Proven {
  readonly services: ServicesSummary;
  /** Service → the image it ran (an id for Compose, the per-commit tag for Swarm). */
  readonly images: Readonly<Record<string, string>>;
  /** Service → the image name it runs under. */
  readonly imageNames: Readonly<Record<string, string>>;
  /** Swarm: the kept stack file that was deployed. */
  readonly stackFile?: string | undefined;
  readonly elapsedMs: number;
}

/** A release brought back: proven healthy, from its kept images or rebuilt. */
export interface Restored {
  readonly proven: Proven;
  readonly images: 'kept' | 'rebuilt';
}

/** What a release records of a proven version, for a rollback without rebuilding. */
export function recordedImages(proven: Proven): Pick<Release, 'images' | 'imageNames' | 'stackFile'> {
  return { images: proven.images, imageNames: proven.imageNames, ...(proven.stackFile ? { stackFile: proven.stackFile } : {}) };
}

/** One look at what runs now, for `status`. */
export interface Looked {
  readonly verdict: CheckVerdict;
  readonly services: ServicesSummary;
  /** Lines that show each service (and, for Swarm, its failing tasks). */
  readonly lines: readonly string[];
}

export interface AppRuntime {
  /** Checks, before anything changes, that this host can run the app this way (a Swarm manager). */
  verify(): Promise<void>;
  /** Inputs only the server can check for this way of running (blue-green: the web service and the ports), in the `inputs` step. */
  checkInputs?(): Promise<void>;
  /**
   * After a failed or stopped deploy, when the old version can simply keep serving (blue-green): removes
   * what the run started and says whether the old version was never replaced (`untouched`) or serves
   * again after a switch back (`switched-back`). Undefined: the usual rollback is needed.
   */
  abandon?(): Promise<'untouched' | 'switched-back' | undefined>;
  /**
   * The same runtime with what this run started and switched, its commands under another session's signal:
   * a stopped run's clean-up must know what to take back. Without it the clean-up gets a fresh runtime.
   */
  under?(app: RemoteApp, health: HealthDeps): AppRuntime;
  /** Builds and starts the checked-out commit of `release`: the `build`, `migrate` and `up` steps. */
  ship(release: Release, steps: Steps): Promise<void>;
  /**
   * `ship` in two halves, for a run on several hosts that prepares every host before any switches:
   * `stage` pulls and builds the checked-out commit without starting it (the `pull` and `build` steps)…
   */
  stage(release: Release, steps: Steps): Promise<void>;
  /** …and `start` starts what `stage` built (the `up` step). */
  start(steps: Steps): Promise<void>;
  /** After `stage`, on a host that will not switch: what `stage` changed that `start` would use is put back. */
  unstage(): Promise<void>;
  /** Waits until what runs (after ship, restore or restart) is healthy; throws a HealthError naming the failing services. */
  prove(): Promise<Proven>;
  /**
   * After a success: keeps what a rollback to `release` or any of `keep` needs, then lets older
   * images go (never when keeping failed).
   */
  keep(release: Release, proven: Proven, keep: readonly Release[]): Promise<void>;
  /** Brings a recorded release back (its commit checked out, its kept images or a rebuild) and proves it healthy. */
  restore(target: Release): Promise<Restored>;
  /** One look at what runs now and whether it is healthy. */
  look(): Promise<Looked>;
  /**
   * Whether what runs now is exactly `target`'s recorded version, nothing replaced: a deploy stopped
   * before it began to replace the old version left it untouched. False when that cannot be told.
   */
  runs(target: Release): Promise<boolean>;
  /** Restarts the services (all when none are named); `prove` then waits for them. */
  restart(services: readonly string[]): Promise<void>;
  /** The services named (an unknown one is an input error), or all the app's services when none are. */
  services(named: readonly string[]): Promise<readonly string[]>;
  /** Streams the last `lines` log lines of the services (all when none are named). */
  logs(services: readonly string[], lines: number): Promise<void>;
}
