/** Whether a deploy is running, from the deployment history GitHub's webhooks keep: check-down alerts wait for its end. */
import type { DeploymentStore } from '../storage/deployment-store.js';

/** A deploy whose end never arrives (a lost delivery) holds alerts this long at most. */
export const DEPLOY_HOLD_MAX_MS = 30 * 60_000;

export function deployRunning(deployments: DeploymentStore, clock: () => Date = () => new Date()): () => Promise<boolean> {
  return async () => (await deployments.unfinished(new Date(clock().getTime() - DEPLOY_HOLD_MAX_MS).toISOString())).length > 0;
}
