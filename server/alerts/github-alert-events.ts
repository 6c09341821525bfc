/**
 * Alert events that GitHub's webhooks bring (server/webhooks): a deployment that failed and a
 * workflow run that failed. They join the checks' and backups' AlertEvent in one union that the
 * outbox stores and every channel formats.
 */
import type { AlertEvent } from './alert-events.js';

export interface DeployFailedEvent {
  readonly kind: 'deploy_failed';
  /** owner/name */
  readonly repository: string;
  readonly environment: string;
  readonly state: 'failure' | 'error';
  readonly sha: string;
  readonly ref: string;
  /** The deployment status's description: berth writes the failed step there. */
  readonly description: string | null;
  /** The run's log, or the status's target URL. */
  readonly url: string | null;
  readonly deploymentId: number;
  readonly statusId: number;
  readonly creator: string | null;
  readonly at: string;
}

export interface WorkflowFailedEvent {
  readonly kind: 'workflow_failed';
  readonly repository: string;
  readonly workflow: string;
  readonly runId: number;
  readonly runNumber: number;
  readonly attempt: number;
  readonly branch: string | null;
  readonly sha: string;
  /** failure, timed_out or startup_failure */
  readonly conclusion: string;
  readonly url: string;
  readonly actor: string | null;
  /** What triggered the run: push, schedule, workflow_dispatch… */
  readonly trigger: string;
  readonly at: string;
}

export type GithubAlertEvent = DeployFailedEvent | WorkflowFailedEvent;

/** Every event an alert can be about. */
export type BerthAlertEvent = AlertEvent | GithubAlertEvent;

export type BerthAlertKind = BerthAlertEvent['kind'];
