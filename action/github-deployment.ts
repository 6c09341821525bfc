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

type DeploymentState = 'in_progress' | 'success' | 'failure';
type SetState = (state: DeploymentState, description: string) => Promise<void>;

/**
 * A deploy is recorded in progress at once, for the commit it ships. The commit a rollback restores
 * is known only once it ran (`ref` may be empty, or name a branch), so a rollback is recorded then,
 * for the commit it put back — never for the workflow's GITHUB_SHA.
 */
export async function trackDeployment(settings: Settings, logger: Logger, env = process.env): Promise<TrackedDeployment> {
  const token = settings.github.token;
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if ((settings.command !== 'deploy' && settings.command !== 'rollback') || !token || !owner || !repo) return untracked;
  const create = deploymentCreator(settings, logger, env, { token, owner, repo });
  const finishWith = (setState: SetState, outcome: Outcome): Promise<void> => {
    const ok = commandSucceeded(outcome);
    const description = ok ? `berth ${settings.command} ${outcome.status}` : `${outcome.failedStep ?? 'run'} failed (${outcome.status})`;
    return setState(ok ? 'success' : 'failure', description).catch((error: unknown) =>
      logger.warn(`Could not update the GitHub deployment: ${describeError(error)}`),
    );
  };
  if (settings.command === 'rollback') {
    return {
      finish: async (outcome) => {
        const restored = outcome.release?.commit;
        const setState = restored ? await create(restored) : undefined;
        if (setState) await finishWith(setState, outcome);
      },
    };
  }
  const setState = settings.ref ? await create(settings.ref) : undefined;
  return setState ? { finish: (outcome) => finishWith(setState, outcome) } : untracked;
}

/** Creates a deployment of `ref`, marked in progress; undefined (with a warning) when GitHub refuses. */
function deploymentCreator(
  settings: Settings,
  logger: Logger,
  env: NodeJS.ProcessEnv,
  { token, owner, repo }: { token: string; owner: string; repo: string },
): (ref: string) => Promise<SetState | undefined> {
  const octokit = github.getOctokit(token);
  const environment = settings.github.environment;
  const logUrl = env.GITHUB_RUN_ID
    ? `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}`
    : undefined;
  return async (ref) => {
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
      const setState: SetState = async (state, description) => {
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
      return setState;
    } catch (error) {
      logger.warn(`Could not record a GitHub deployment (the ${settings.command} goes on): ${describeError(error)}`);
      return undefined;
    }
  };
}
