/**
 * Runs checks (on schedule or on request), moves each through its state machine, stores results
 * and state changes, and raises an alert event when a check goes down or comes back. The storage
 * may be away for a while: checks go on, state is kept in memory, and the failure to store is logged.
 */
import { describeError } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { AlertSink } from '../alerts/alert-events.js';
import { BusyError, NotFoundError } from '../server-errors.js';
import type { CheckConfig } from '../config/server-config.js';
import type { CheckEvent, CheckStore } from '../storage/check-store.js';
import { type CheckResult, shownUrl } from './check-outcome.js';
import { advance, type CheckState, INITIAL_STATE, type Transition } from './check-state.js';
import { type CheckRunner, runCheck } from './run-check.js';

export interface CheckRun {
  readonly check: string;
  readonly result: CheckResult;
  readonly state: CheckState;
  readonly transition: Transition | undefined;
}

export interface CheckOverview {
  readonly name: string;
  readonly type: CheckConfig['type'];
  /** What it checks, without secrets. */
  readonly target: string;
  readonly schedule: string;
  readonly health: CheckState['health'];
  readonly since: string | null;
  readonly running: boolean;
  readonly lastResult: CheckResult | null;
  /** Newest first. */
  readonly history: readonly CheckResult[];
}

/** What a check looks at, for people: no passwords. */
export function checkTarget(config: CheckConfig): string {
  switch (config.type) {
    case 'http':
    case 'postgres':
      return shownUrl(config.url);
    case 'tcp':
      return `${config.host}:${config.port}`;
    case 'compose':
      return config.projectName ? `${config.path} (${config.projectName})` : config.path;
  }
}

export interface CheckServiceDeps {
  readonly store: CheckStore;
  readonly alerts: AlertSink;
  readonly logger: Logger;
  readonly runner?: CheckRunner;
  /** Hears every finished run (metrics). */
  readonly observe?: (config: CheckConfig, result: CheckResult) => void;
  /** When a state is saved: the storage's clock, so servers sharing it know whose state is newer. */
  readonly clock?: () => Date;
}

export class CheckService {
  private readonly running = new Map<string, Promise<CheckRun>>();
  /** The last state each check reached here, and when: used when the storage cannot be read or missed a write. */
  private readonly known = new Map<string, { state: CheckState; savedAt: string }>();
  private readonly runner: CheckRunner;

  constructor(
    readonly configs: readonly CheckConfig[],
    private readonly deps: CheckServiceDeps,
  ) {
    this.runner = deps.runner ?? runCheck;
  }

  names(): string[] {
    return this.configs.map((c) => c.name);
  }

  config(name: string): CheckConfig {
    const config = this.configs.find((c) => c.name === name);
    if (!config) throw new NotFoundError(`There is no check named '${name}'.`, `Configured: ${this.names().join(', ') || 'none'}.`);
    return config;
  }

  /**
   * Each check's state, since when, and its latest results (newest first). While the storage cannot be
   * read, the states this server reached and no history: the page and the API still say what is down.
   */
  async overview(historyLimit: number, only?: string): Promise<CheckOverview[]> {
    const states = await this.storedStates();
    return Promise.all(
      this.configs
        .filter((config) => only === undefined || config.name === only)
        .map(async (config) => {
          const state = states.get(config.name) ?? this.known.get(config.name)?.state ?? INITIAL_STATE;
          const history = await this.deps.store.history(config.name, historyLimit).catch(() => []); // unreadable: none shown
          return {
            name: config.name,
            type: config.type,
            target: checkTarget(config),
            schedule: config.schedule,
            health: state.health,
            since: state.since,
            running: this.running.has(config.name),
            lastResult: history[0] ?? null,
            history,
          };
        }),
    );
  }

  /** Each check's health alone (no history): cheap enough for every metrics scrape. */
  async healths(): Promise<Array<{ name: string; type: CheckConfig['type']; health: CheckState['health'] }>> {
    const states = await this.storedStates();
    return this.configs.map((c) => ({
      name: c.name,
      type: c.type,
      health: (states.get(c.name) ?? this.known.get(c.name)?.state ?? INITIAL_STATE).health,
    }));
  }

  /** The stored states, or none while the storage cannot be read (the states in memory stand in). */
  private async storedStates(): Promise<Map<string, CheckState>> {
    return this.deps.store.states().catch(() => new Map<string, CheckState>());
  }

  /** A check's state changes, newest first. */
  events(name: string, limit: number): Promise<CheckEvent[]> {
    return this.deps.store.events(name, limit);
  }

  /** Runs one check now. Rejects at once, running nothing, for an unknown name or one that is running. */
  async run(name: string): Promise<CheckRun> {
    const config = this.config(name);
    if (this.running.has(name)) throw new BusyError(`Check '${name}' is running; try again when it has finished.`);
    const run = this.execute(config).finally(() => this.running.delete(name));
    this.running.set(name, run);
    return run;
  }

  /** Waits for running checks (each ends within its timeout), so their results are stored before the storage closes. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }

  private async execute(config: CheckConfig): Promise<CheckRun> {
    const result = await this.runner(config);
    this.deps.observe?.(config, result);
    const before = await this.currentState(config.name);
    const { state, transition } = advance(before, result.ok, result.at, config);
    const savedAt = (this.deps.clock?.() ?? new Date()).toISOString();
    this.known.set(config.name, { state, savedAt });
    if (!result.ok) this.deps.logger.debug(`check ${config.name}: failed: ${result.error}`);
    if (transition) this.announce(config, transition, result);
    await this.store(config.name, result, { state, savedAt }, transition);
    return { check: config.name, result, state, transition };
  }

  /** The newer of the stored state (another server may have run the last tick) and the one in memory (a write may have failed). */
  private async currentState(name: string): Promise<CheckState> {
    const mine = this.known.get(name);
    try {
      const stored = await this.deps.store.state(name);
      if (stored && (!mine || stored.savedAt >= mine.savedAt)) return stored.state;
    } catch (error) {
      this.deps.logger.warn(`check ${name}: storage unavailable, using the state in memory: ${describeError(error)}`);
    }
    return mine?.state ?? INITIAL_STATE;
  }

  private announce(config: CheckConfig, transition: Transition, result: CheckResult): void {
    const { logger, alerts } = this.deps;
    if (transition.to === 'down') {
      logger.warn(`check ${config.name}: down since ${transition.since}: ${result.error}`);
      alerts.raise({
        kind: 'check_down',
        check: config.name,
        checkType: config.type,
        since: transition.since,
        error: result.error ?? 'failed',
        details: result.details,
        at: result.at,
      });
    } else if (transition.to === 'up') {
      logger.info(`check ${config.name}: up${transition.from === 'down' ? ` again (down since ${transition.since})` : ''}`);
      if (transition.from === 'down')
        alerts.raise({
          kind: 'check_recovered',
          check: config.name,
          checkType: config.type,
          since: transition.since,
          downForMs: Date.parse(result.at) - Date.parse(transition.since),
          at: result.at,
        });
    }
  }

  private async store(
    name: string,
    result: CheckResult,
    saved: { state: CheckState; savedAt: string },
    transition: Transition | undefined,
  ): Promise<void> {
    try {
      await this.deps.store.record(name, result);
      await this.deps.store.saveState(name, saved.state, saved.savedAt);
      if (transition) await this.deps.store.addEvent(name, transition, result.at, result.error);
    } catch (error) {
      this.deps.logger.error(`check ${name}: result of ${result.at} not stored: ${describeError(error)}`);
    }
  }
}
