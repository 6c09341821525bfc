/** What the engine needs from its caller (the action, the CLI, a test): passed in, never looked up. */
import type { Executor } from '../exec/executor.js';
import type { Sleep } from '../retry.js';
import type { RunContext } from '../run-context.js';
import type { SshSettings } from '../ssh/ssh-settings.js';
import type { Reporter } from './reporter.js';

export interface EngineDeps {
  readonly reporter: Reporter;
  /** Opens the connection to a host (each host of a run on several has its own). */
  readonly connect: (ssh: SshSettings) => Promise<Executor>;
  /** Runs the lint command on the runner; rejects when it fails. Stops it when `signal` aborts. */
  readonly lint: (command: string, signal: AbortSignal) => Promise<void>;
  /** Who is running, recorded in the lock. */
  readonly owner: string;
  readonly sleep?: Sleep;
  readonly clock?: () => number;
  /** The run's cancel signal and deadline; a context nothing aborts when not given. */
  readonly context?: RunContext;
}
