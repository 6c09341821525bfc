/** The one typed, validated settings object every run works from. */
import type { SshSettings } from '../ssh/ssh-settings.js';
import type { Command } from './input-names.js';

/** How the app runs: Compose on the host, or a Swarm stack (berth connects to a manager node). */
export type OrchestratorSettings =
  | { readonly kind: 'compose' }
  | {
      readonly kind: 'swarm';
      /** The stack's name: `project-name`, default the folder name of `path`. */
      readonly stack: string;
      /** Where built images are pushed for the other nodes (`registry.example.com/team`); undefined on one node. */
      readonly registry: string | undefined;
    };

/**
 * How a deploy replaces the running version. `recreate`: Compose's `up` replaces each changed
 * container in place. `blue-green`: the web service's new version starts beside the live one (on the
 * other colour's port), is proven healthy there, and the proxy (Caddy, in the `berth-proxy` container)
 * switches to it before the old one drains and stops.
 */
export type StrategySettings =
  | { readonly kind: 'recreate' }
  | {
      readonly kind: 'blue-green';
      /** The public port the proxy listens on (`public-port`). */
      readonly publicPort: number;
      /** The two colours' ports (`colour-ports`): blue, then green. Host-networked apps listen on `BERTH_PORT`. */
      readonly colourPorts: readonly [number, number];
      /** The proxy's image (`proxy-image`): Caddy 2.6 or newer. */
      readonly proxyImage: string;
    };

export type BlueGreenSettings = Extract<StrategySettings, { kind: 'blue-green' }>;

export interface AppSettings {
  /** The app's git checkout on the server. */
  readonly path: string;
  /** Compose files relative to `path`; empty means Compose's own lookup. */
  readonly composeFiles: readonly string[];
  readonly projectName: string | undefined;
  /** Services for restart, logs and status; empty means all. */
  readonly services: readonly string[];
}

export interface HealthSettings {
  /** Fetched as the server sees it (through the SSH connection). */
  readonly url: URL | undefined;
  readonly timeoutMs: number;
}

export interface GithubSettings {
  readonly token: string | undefined;
  readonly environment: string;
  readonly environmentUrl: URL | undefined;
}

/** One host of the run: where to connect, and the app there (what its `host` line overrides applied). */
export interface HostTarget {
  /** How logs, outputs and the summary name it: `web1.example.com`, `web2.example.com:2222`. */
  readonly label: string;
  readonly ssh: SshSettings;
  readonly app: AppSettings;
  readonly health: HealthSettings;
}

export interface Settings {
  readonly command: Command;
  /** The first host's connection, app and health check: what a run on one host uses. */
  readonly ssh: SshSettings;
  readonly app: AppSettings;
  readonly orchestrator: OrchestratorSettings;
  readonly strategy: StrategySettings;
  /** Run once per deploy in a one-off container of the web service's new image, before the new version serves. */
  readonly migrateCommand: string | undefined;
  /**
   * The Compose service behind the proxy (blue-green) and the one migrations run in; undefined: the one
   * service that publishes a port, exposes one or uses BERTH_PORT (found on the server).
   */
  readonly webService: string | undefined;
  /** Every host of the run, in the order given; one for most apps. */
  readonly hosts: readonly HostTarget[];
  /** How many hosts switch to the new version at once. */
  readonly parallel: number;
  /**
   * deploy: the commit to ship (the workflow's commit when empty);
   * rollback: the target (the previous good release when undefined).
   */
  readonly ref: string | undefined;
  readonly lintCommand: string | undefined;
  readonly health: HealthSettings;
  readonly rollbackOnFailure: boolean;
  readonly logLines: number;
  readonly lockTimeoutMs: number;
  /** The whole run's deadline (`timeout`): past it the remote work is stopped and the usual failure path runs. */
  readonly timeoutMs: number;
  /**
   * `push`: a deploy started by a push, which skips itself as superseded when a newer commit (one its
   * commit is an ancestor of) went live while it waited. `manual`: every other run, which does what it is told.
   */
  readonly trigger: 'push' | 'manual';
  readonly github: GithubSettings;
}
