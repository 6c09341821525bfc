/**
 * Readiness seen at once: Docker runs a container's first healthcheck one `interval` after
 * start (30 s by default), so while it still says `starting`, berth runs the same check
 * itself (`docker exec`, at its own cadence) and sees the app ready when it is.
 */
import { dockerCommands } from '../commands/compose.js';
import type { Executor } from '../exec/executor.js';
import { realSleep, type Sleep } from '../retry.js';

/** A container's healthcheck: the command Docker runs in it, and how long one run may take. */
export interface Healthcheck {
  readonly argv: readonly string[];
  readonly timeoutMs: number;
}

/** The shell Docker runs `CMD-SHELL` checks with when the image sets none (`SHELL`). */
const DEFAULT_SHELL = ['/bin/sh', '-c'];

/**
 * The command a healthcheck test runs, as Docker builds it: `["CMD", argv…]` as is,
 * `["CMD-SHELL", line]` through the container's shell, `["NONE"]` or nothing: no check.
 */
export function healthcheckArgv(test: readonly string[] | undefined, shell: readonly string[] | undefined): string[] | undefined {
  const [kind, ...rest] = test ?? [];
  if (kind === 'CMD' && rest.length > 0) return rest;
  if (kind === 'CMD-SHELL' && rest.length > 0) return [...(shell && shell.length > 0 ? shell : DEFAULT_SHELL), rest.join(' ')];
  return undefined;
}

/** One run of a container's healthcheck on the server, bounded by the check's own timeout. True when it exits 0. */
export async function runHealthcheck(executor: Executor, containerId: string, check: Healthcheck, signal?: AbortSignal): Promise<boolean> {
  const argv = dockerCommands.execHealthcheck(containerId, check.argv, Math.max(1, Math.ceil(check.timeoutMs / 1000)));
  // A run that cannot start or is cut off (the wait ended, the connection dropped) is just not a pass.
  const result = await executor.run(argv, signal ? { signal } : {}).catch(() => undefined);
  return result?.code === 0;
}

/** The part of a container the checks need. */
export interface CheckTarget {
  readonly id: string;
  readonly state: string;
  readonly health: string | undefined;
  readonly healthcheck: Healthcheck | undefined;
}

/** A container Docker has not yet judged (running, `starting`) whose healthcheck berth can run itself. */
export function awaitsDockerVerdict<T extends CheckTarget>(c: T): c is T & { readonly healthcheck: Healthcheck } {
  return c.state === 'running' && c.health === 'starting' && c.healthcheck !== undefined;
}

/** Pause between one failed run of a check and the next (a run takes ~0.07 s), so the app is seen within ~0.15 s of ready. */
export const OWN_CHECK_GAP_MS = 50;

/**
 * Runs in flight at once, across containers: each is an SSH session, and sshd allows 10 per
 * connection by default (MaxSessions), which the lock and the polls share.
 */
export const MAX_RUNS_IN_FLIGHT = 4;

/**
 * Runs the healthcheck of each container Docker still calls `starting`, again and again
 * (one run at a time per container), until it passes, Docker decides, or the wait ends.
 * A pass wakes the poll loop (`nextPass()`), which then confirms with a fresh inspect.
 */
export class OwnHealthchecks {
  private readonly passedIds = new Set<string>();
  private readonly looping = new Set<string>();
  /** Containers that should still be checked: running and `starting` in the latest poll. */
  private wanted = new Set<string>();
  /** Passes so far, and how many the latest poll had seen: a pass after that poll wakes the next sleep at once. */
  private passes = 0;
  private passesSeen = 0;
  private readonly abort = new AbortController();
  private wake = deferred();
  private inFlight = 0;
  /** Loops waiting for a run slot, first come first served. */
  private readonly queue: Array<() => void> = [];

  constructor(
    private readonly run: (containerId: string, check: Healthcheck, signal: AbortSignal) => Promise<boolean>,
    private readonly sleep: Sleep = realSleep,
    /** Containers whose check already passed when berth ran it earlier in this run: not run again. */
    passedBefore: Iterable<string> = [],
  ) {
    for (const id of passedBefore) this.passedIds.add(id);
  }

  /** Takes in a poll's containers: starts checking the new `starting` ones, stops those Docker has decided on. */
  observe(containers: readonly CheckTarget[]): void {
    this.passesSeen = this.passes;
    this.wanted = new Set();
    for (const c of containers) {
      if (!awaitsDockerVerdict(c)) continue;
      this.wanted.add(c.id);
      // A loop ends early when its sleep is cut short by a cancelled run: that only means "stop checking".
      if (!this.looping.has(c.id) && !this.passedIds.has(c.id)) this.loop(c.id, c.healthcheck).catch(() => undefined);
    }
  }

  /** Containers whose own check passed. */
  get passed(): ReadonlySet<string> {
    return this.passedIds;
  }

  /** Resolves when a check passes that the latest poll has not seen (at once if one already has). */
  nextPass(): Promise<void> {
    return this.passes > this.passesSeen ? Promise.resolve() : this.wake.promise;
  }

  /** Ends every loop and the runs in flight. */
  stop(): void {
    this.abort.abort();
    this.wanted.clear();
  }

  private async loop(id: string, check: Healthcheck): Promise<void> {
    this.looping.add(id);
    try {
      while (this.wanted.has(id) && !this.abort.signal.aborted) {
        if (await this.inSlot(() => this.run(id, check, this.abort.signal))) {
          this.passedIds.add(id);
          this.passes++;
          const woken = this.wake;
          this.wake = deferred();
          woken.resolve();
          return;
        }
        await this.sleep(OWN_CHECK_GAP_MS);
      }
    } finally {
      this.looping.delete(id);
    }
  }

  /** Runs fn once fewer than MAX_RUNS_IN_FLIGHT runs are in flight. */
  private async inSlot<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inFlight >= MAX_RUNS_IN_FLIGHT) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.inFlight++;
    try {
      return await fn();
    } finally {
      this.inFlight--;
      this.queue.shift()?.();
    }
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
