/**
 * Records deploys and rollbacks as GitHub Deployments, so the environment page shows
 * what runs. A GitHub API failure is reported as a warning and never fails the deploy.
 */
import * as github from '@actions/github';
import { commandSucceeded, type Outcome } from '../core/engine/outcome.js';
import { describeError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { publicUrl } from '../core/redact.js';
import type { Settings } from '../core/settings/settings.js';

export interface TrackedDeployment {
  finish(outcome: Outcome): Promise<void>;
}

const untracked: TrackedDeployment = { finish: async () => {} };

type DeploymentState = 'in_progress' | 'success' | 'failure' | 'inactive';
type SetState = (state: DeploymentState, description: string) => Promise<void>;

interface Repository {
  readonly owner: string;
  readonly repo: string;
  readonly logUrl: string | undefined;
}

/**
 * A deploy is recorded from its start (in progress, then success or failure) for the commit asked for.
 * A rollback is recorded when it went live, for the commit it restored: which one is known only at its end,
 * and a rollback that failed leaves what ran before running, so there is no deployment to show.
 */
export async function trackDeployment(settings: Settings, logger: Logger, env = process.env): Promise<TrackedDeployment> {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!settings.github.token || !owner || !repo) return untracked;
  const repository: Repository = {
    owner,
    repo,
    logUrl: env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined,
  };
  if (settings.command === 'rollback') {
    return {
      finish: async (outcome) => {
        if (!commandSucceeded(outcome) || !outcome.rollback) return;
        const setState = await tryCreate(settings, repository, outcome.rollback.to, logger);
        await setState?.('success', `berth rollback to ${outcome.rollback.to.slice(0, 12)}`).catch((error: unknown) =>
          logger.warn(`Could not update the GitHub deployment: ${describeError(error)}`),
        );
      },
    };
  }
  if (settings.command !== 'deploy' || !settings.ref) return untracked;
  const setState = await tryCreate(settings, repository, settings.ref, logger);
  if (!setState) return untracked;
  await setState('in_progress', 'berth deploy started').catch((error: unknown) =>
    logger.warn(`Could not update the GitHub deployment: ${describeError(error)}`),
  );
  return {
    finish: async (outcome) => {
      const ok = commandSucceeded(outcome);
      const description = ok ? `berth deploy ${outcome.status}` : `${outcome.failedStep ?? 'run'} failed (${outcome.status})`;
      // A superseded deploy never went live: inactive, so the environment keeps showing what runs.
      const state = outcome.status === 'superseded' ? 'inactive' : ok ? 'success' : 'failure';
      await setState(state, description).catch((error: unknown) =>
        logger.warn(`Could not update the GitHub deployment: ${describeError(error)}`),
      );
    },
  };
}

/** Creates the deployment of `ref`; undefined (after a warning) when GitHub refuses. */
async function tryCreate(
  settings: Settings,
  { owner, repo, logUrl }: Repository,
  ref: string,
  logger: Logger,
): Promise<SetState | undefined> {
  const octokit = github.getOctokit(settings.github.token ?? '');
  const environment = settings.github.environment;
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
    return async (state, description) => {
      await octokit.rest.repos.createDeploymentStatus({
        owner,
        repo,
        deployment_id: id,
        state,
        description: description.slice(0, 140),
        ...(logUrl ? { log_url: logUrl } : {}),
        ...(settings.github.environmentUrl ? { environment_url: publicUrl(settings.github.environmentUrl) } : {}),
        auto_inactive: state === 'success',
      });
    };
  } catch (error) {
    logger.warn(`Could not record a GitHub deployment (the ${settings.command} goes on): ${describeError(error)}`);
    return undefined;
  }
}
