/**
 * Records deploys and rollbacks as GitHub Deployments, so the environment page shows
 * what runs. A GitHub API failure is reported as a warning and never fails the deploy.
 */
import * as github from '@actions/github';
import { commandSucceeded, type Outcome } from '../core/engine/outcome.js';
import { describeError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { Settings } from '../core/settings/settings.js';

export interface TrackedDeployment {
  finish(outcome: Outcome): Promise<void>;
}

const untracked: TrackedDeployment = { finish: async () => {} };

type DeploymentState = 'in_progress' | 'success' | 'failure' | 'inactive';

/** Creates the deployment (in progress) when a token and repository are known. */
export async function trackDeployment(settings: Settings, logger: Logger, env = process.env): Promise<TrackedDeployment> {
  const token = settings.github.token;
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const ref = settings.command === 'deploy' ? settings.ref : (settings.ref ?? env.GITHUB_SHA);
  if ((settings.command !== 'deploy' && settings.command !== 'rollback') || !token || !owner || !repo || !ref) return untracked;
  const octokit = github.getOctokit(token);
  const environment = settings.github.environment;
  const logUrl = env.GITHUB_RUN_ID
    ? `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}`
    : undefined;
  try {
    const created = await octokit.rest.repos.createDeployment({
      owner,
      repo,
      ref,
      environment,
      auto_merge: false,
      required_contexts: [],
      description: `berth ${settings.command}`,
      production_environment: environment === 'production',
    });
    if (!('id' in created.data)) throw new Error(created.data.message ?? 'no deployment was created');
    const id = created.data.id;
    const setState = async (state: DeploymentState, description: string): Promise<void> => {
      await octokit.rest.repos.createDeploymentStatus({
        owner,
        repo,
        deployment_id: id,
        state,
        description: description.slice(0, 140),
        ...(logUrl ? { log_url: logUrl } : {}),
        ...(settings.github.environmentUrl ? { environment_url: settings.github.environmentUrl.href } : {}),
        auto_inactive: state === 'success',
      });
    };
    await setState('in_progress', `berth ${settings.command} started`);
    return {
      finish: async (outcome) => {
        const ok = commandSucceeded(outcome);
        const description = ok
          ? `berth ${settings.command} ${outcome.status}`
          : `${outcome.failedStep ?? 'run'} failed (${outcome.status})`;
        // A superseded deploy never went live: inactive, so the environment keeps showing what runs.
        const state = outcome.status === 'superseded' ? 'inactive' : ok ? 'success' : 'failure';
        await setState(state, description).catch((error: unknown) =>
          logger.warn(`Could not update the GitHub deployment: ${describeError(error)}`),
        );
      },
    };
  } catch (error) {
    logger.warn(`Could not record a GitHub deployment (the deploy goes on): ${describeError(error)}`);
    return untracked;
  }
}
