/**
 * What berth does with a verified GitHub delivery: each delivery id is recorded once (a redelivery,
 * or the same delivery reaching a second server, is ignored); `deployment_status` joins the
 * environment's history, raises an alert on failure or error and, when a deploy ends, decides the
 * check alerts it held; `workflow_run` completed with a failing conclusion raises an alert.
 * Every other event is acknowledged and ignored.
 */
import { z } from 'zod';
import { BerthError } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { BerthAlertEvent } from '../alerts/github-alert-events.js';
import { type DeploymentStatusRecord, type DeploymentStore, UNFINISHED_STATES } from '../storage/deployment-store.js';
import { deploymentStatusPayload, workflowRunPayload } from './github-payloads.js';

/** A signed payload that lacks what its event must have: answered 400. */
export class PayloadError extends BerthError {
  override readonly name = 'PayloadError';
}

export interface GithubDelivery {
  readonly id: string;
  readonly name: string;
  readonly payload: unknown;
}

export interface DeliveryOutcome {
  readonly result: 'pong' | 'recorded' | 'ignored' | 'duplicate';
  readonly detail?: string;
}

export interface GithubEventDeps {
  readonly deployments: DeploymentStore;
  readonly raise: (event: BerthAlertEvent) => void;
  /** A deploy ended: decide the check alerts held while it ran. Runs in the background. */
  readonly deployEnded: () => Promise<void>;
  readonly logger: Logger;
  readonly clock?: () => Date;
}

/** Conclusions of a completed run that mean it failed (not `cancelled`, `skipped` or `neutral`). */
export const FAILING_CONCLUSIONS: readonly string[] = ['failure', 'timed_out', 'startup_failure'];

function parsed<T>(schema: z.ZodType<T>, payload: unknown, event: string): T {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'the body'}: ${issue.message}`);
  throw new PayloadError(`The ${event} payload is not what GitHub sends: ${problems.slice(0, 5).join('; ')}.`);
}

export function deploymentStatusRecord(payload: unknown): DeploymentStatusRecord {
  const { deployment_status: status, deployment, repository } = parsed(deploymentStatusPayload, payload, 'deployment_status');
  return {
    statusId: status.id,
    deploymentId: deployment.id,
    repository: repository.full_name,
    environment: status.environment || deployment.environment,
    state: status.state,
    sha: deployment.sha,
    ref: deployment.ref,
    description: status.description || null,
    creator: status.creator?.login ?? deployment.creator?.login ?? null,
    logUrl: status.log_url || status.target_url || null,
    environmentUrl: status.environment_url || null,
    createdAt: status.created_at,
  };
}

export class GithubEvents {
  private readonly clock: () => Date;

  constructor(private readonly deps: GithubEventDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  async handle(delivery: GithubDelivery): Promise<DeliveryOutcome> {
    if (delivery.name === 'ping') return { result: 'pong' };
    const action = (delivery.payload as { action?: unknown } | null)?.action;
    const { deployments } = this.deps;
    const now = this.clock().toISOString();
    // Checked before anything is stored, so a malformed body leaves nothing behind.
    const handler = this.handlerFor(delivery);
    if (await deployments.seenDelivery(delivery.id)) return { result: 'duplicate', detail: `delivery ${delivery.id} was handled before` };
    const outcome = await handler(now);
    // Marked only once handled: a delivery the storage failed mid-way is handled again when GitHub redelivers
    // it (marked first, it would be answered "duplicate" and lost). Two servers handling one delivery at once
    // do no harm: a status is keyed by its id and an alert by its key.
    await deployments.markDelivery(delivery.id, delivery.name, typeof action === 'string' ? action : null, now);
    return outcome;
  }

  private handlerFor(delivery: GithubDelivery): (now: string) => Promise<DeliveryOutcome> {
    switch (delivery.name) {
      case 'deployment_status': {
        const record = deploymentStatusRecord(delivery.payload);
        return (now) => this.deploymentStatus(record, now);
      }
      case 'workflow_run': {
        const run = parsed(workflowRunPayload, delivery.payload, 'workflow_run');
        return async () => this.workflowRun(run);
      }
      default:
        return async () => ({ result: 'ignored', detail: `berth does not act on ${delivery.name} events` });
    }
  }

  private async deploymentStatus(status: DeploymentStatusRecord, now: string): Promise<DeliveryOutcome> {
    const { deployments, logger } = this.deps;
    const recorded = await deployments.record(status, now);
    if (!recorded) return { result: 'duplicate', detail: `deployment status ${status.statusId} was recorded before` };
    logger.info(`deployment ${status.deploymentId} to ${status.environment} (${status.sha.slice(0, 12)}): ${status.state}`);
    if (status.state === 'failure' || status.state === 'error') {
      this.deps.raise({
        kind: 'deploy_failed',
        repository: status.repository,
        environment: status.environment,
        state: status.state,
        sha: status.sha,
        ref: status.ref,
        description: status.description,
        url: status.logUrl,
        deploymentId: status.deploymentId,
        statusId: status.statusId,
        creator: status.creator,
        at: status.createdAt,
      });
    }
    if (!UNFINISHED_STATES.includes(status.state))
      void this.deps.deployEnded().catch((error: unknown) => logger.warn(`alerts held during the deploy: ${String(error)}`));
    return { result: 'recorded', detail: `${status.environment}: ${status.state}` };
  }

  private workflowRun(payload: z.infer<typeof workflowRunPayload>): DeliveryOutcome {
    const run = payload.workflow_run;
    const conclusion = run.conclusion ?? '';
    if (payload.action !== 'completed' || !FAILING_CONCLUSIONS.includes(conclusion))
      return { result: 'ignored', detail: `workflow run ${payload.action}${conclusion ? ` (${conclusion})` : ''}` };
    const workflow = run.name || payload.workflow?.name || 'workflow';
    this.deps.raise({
      kind: 'workflow_failed',
      repository: payload.repository.full_name,
      workflow,
      runId: run.id,
      runNumber: run.run_number,
      attempt: run.run_attempt ?? 1,
      branch: run.head_branch ?? null,
      sha: run.head_sha,
      conclusion,
      url: run.html_url,
      actor: run.actor?.login ?? null,
      trigger: run.event,
      at: run.updated_at ?? this.clock().toISOString(),
    });
    return { result: 'recorded', detail: `${workflow} ${conclusion}` };
  }
}
