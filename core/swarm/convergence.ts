/**
 * When a stack has converged: every service's update done (not rolled back or paused), the
 * desired number of tasks of its current spec running (Swarm reports a task with a
 * healthcheck `running` only once it is healthy), and no task of an older spec still running.
 * Pure: judged from one `StackState`.
 */
import { type StackState, type SwarmService, type SwarmTask, tasksOf } from './stack-state.js';

/** New tasks that failed this many times since the deploy fail it, even while Swarm keeps retrying. */
export const MAX_TASK_FAILURES = 3;

export type StackVerdict =
  | { readonly kind: 'healthy' }
  | { readonly kind: 'waiting'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string; readonly services: readonly string[] };

type ServiceVerdict = { readonly kind: 'healthy' } | { readonly kind: 'waiting' | 'failed'; readonly reason: string };

export interface JudgeOptions {
  /**
   * Judge the update a deploy (or restart) just started: a rolled-back or paused update and
   * tasks that keep failing fail it. Off for `status`, which asks only whether the stack runs now.
   */
  readonly afterUpdate: boolean;
}

const FAILED_STATES = new Set(['failed', 'rejected', 'orphaned']);

/** What a task's failure says: Swarm's error, else its exit code, else its state. */
export function taskError(task: SwarmTask): string {
  if (task.error) return task.error;
  if (task.exitCode) return `exited with code ${task.exitCode}`;
  return task.state;
}

/** The newest failed task at or after `since`, newest first as `tasksOf` gives them. */
function lastFailure(tasks: readonly SwarmTask[], since: number | undefined): SwarmTask | undefined {
  return tasks.find((t) => FAILED_STATES.has(t.state) && (since === undefined || !(t.at < since)));
}

/** Desired tasks: the replica count, or one per node a global service has tasks for. */
function desiredCount(service: SwarmService, current: readonly SwarmTask[]): number {
  return service.replicas ?? Math.max(1, current.filter((t) => t.desiredState === 'running').length);
}

function running(tasks: readonly SwarmTask[]): SwarmTask[] {
  return tasks.filter((t) => t.desiredState === 'running' && t.state === 'running');
}

function judgeUpdate(service: SwarmService, tasks: readonly SwarmTask[]): ServiceVerdict | undefined {
  const name = service.service;
  const failure = lastFailure(tasks, service.updateStartedAt);
  const because = failure ? `: ${taskError(failure)}` : service.updateMessage ? `: ${service.updateMessage}` : '';
  switch (service.updateState) {
    case 'rollback_started':
    case 'rollback_completed':
      return { kind: 'failed', reason: `${name}: Swarm rolled the update back${because}` };
    case 'paused':
    case 'rollback_paused':
      return { kind: 'failed', reason: `${name}: Swarm paused the ${service.updateState === 'paused' ? 'update' : 'rollback'}${because}` };
  }
  const failures = tasks.filter((t) => t.upToDate && FAILED_STATES.has(t.state) && !(t.at < service.updatedAt));
  if (failures.length >= MAX_TASK_FAILURES) {
    return { kind: 'failed', reason: `${name}: tasks keep failing (${failures.length} times): ${taskError(failures[0] as SwarmTask)}` };
  }
  if (service.updateState === 'updating') return { kind: 'waiting', reason: `${name} is updating` };
  return undefined;
}

function judgeService(service: SwarmService, tasks: readonly SwarmTask[], options: JudgeOptions): ServiceVerdict {
  const name = service.service;
  if (options.afterUpdate) {
    const update = judgeUpdate(service, tasks);
    if (update) return update;
  }
  const current = tasks.filter((t) => t.upToDate);
  const desired = desiredCount(service, current);
  const up = running(current).length;
  if (up < desired) {
    const newest = current.find((t) => t.desiredState === 'running' && t.state !== 'running');
    const failure = lastFailure(current, options.afterUpdate ? service.updatedAt : undefined);
    const detail = failure ? `, last failure: ${taskError(failure)}` : newest ? `, newest task ${newest.state}` : '';
    return { kind: 'waiting', reason: `${name} has ${up}/${desired} tasks running${detail}` };
  }
  if (running(tasks.filter((t) => !t.upToDate)).length > 0) return { kind: 'waiting', reason: `${name} still runs a task of its old spec` };
  return { kind: 'healthy' };
}

/** The stack's verdict: failed when any service failed, waiting while any waits, healthy when all converged. */
export function judgeStack(state: StackState, options: JudgeOptions): StackVerdict {
  if (state.services.length === 0) return { kind: 'waiting', reason: 'the stack has no services yet' };
  const verdicts = state.services.map((service) => ({ service, verdict: judgeService(service, tasksOf(state, service), options) }));
  const failed = verdicts.filter((v) => v.verdict.kind === 'failed');
  if (failed.length > 0) {
    return {
      kind: 'failed',
      reason: failed.map((v) => (v.verdict as { reason: string }).reason).join('; '),
      services: failed.map((v) => v.service.service),
    };
  }
  const waiting = verdicts.filter((v) => v.verdict.kind === 'waiting');
  if (waiting.length > 0) return { kind: 'waiting', reason: waiting.map((v) => (v.verdict as { reason: string }).reason).join('; ') };
  return { kind: 'healthy' };
}

export interface SwarmServiceSummary {
  readonly state: string;
  readonly health: string | null;
  readonly image: string;
  /** Tasks of the current spec running, of those desired: `2/3`. */
  readonly replicas: string;
  readonly updateState: string | null;
}

/** Each service's state for the `services` output and `status`. */
export function stackSummary(state: StackState): Record<string, SwarmServiceSummary> {
  const summary: Record<string, SwarmServiceSummary> = {};
  for (const service of state.services) {
    const tasks = tasksOf(state, service);
    const current = tasks.filter((t) => t.upToDate);
    const desired = desiredCount(service, current);
    const up = running(current).length;
    const newest = current.find((t) => t.desiredState === 'running') ?? current[0];
    const allUp = up >= desired;
    summary[service.service] = {
      state: allUp ? 'running' : (newest?.state ?? 'pending'),
      health: service.hasHealthcheck ? (allUp ? 'healthy' : 'starting') : null,
      image: service.image,
      replicas: `${up}/${desired}`,
      updateState: service.updateState ?? null,
    };
  }
  return summary;
}
