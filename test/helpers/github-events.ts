/**
 * Event payloads as GitHub writes them to GITHUB_EVENT_PATH, trimmed to the fields actions read,
 * and the GITHUB_* variables that go with each (event name, ref, workflow).
 */

export interface GithubEvent {
  readonly name: 'push' | 'workflow_dispatch' | 'schedule';
  readonly payload: Record<string, unknown>;
  /** refs/heads/… the run is for (GITHUB_REF). */
  readonly ref: string;
  /** The workflow file that ran, relative to the repository. */
  readonly workflowFile: string;
}

export interface EventRepository {
  readonly owner: string;
  readonly name: string;
}

export const DEFAULT_REPOSITORY: EventRepository = { owner: 'acme', name: 'shop' };
const SENDER = { login: 'octocat', id: 583231, type: 'User' };

function repositoryPayload({ owner, name }: EventRepository): Record<string, unknown> {
  return {
    id: 424242,
    name,
    full_name: `${owner}/${name}`,
    private: true,
    owner: { login: owner, id: 4242, type: 'Organization' },
    html_url: `https://github.com/${owner}/${name}`,
    default_branch: 'main',
  };
}

/** A push of `sha` to a branch (main by default), as `on: push` receives it. */
export function pushEvent(
  sha: string,
  options: { branch?: string; before?: string; message?: string; repository?: EventRepository } = {},
): GithubEvent {
  const repository = options.repository ?? DEFAULT_REPOSITORY;
  const ref = `refs/heads/${options.branch ?? 'main'}`;
  const commit = {
    id: sha,
    tree_id: '0'.repeat(40),
    distinct: true,
    message: options.message ?? 'Change the app',
    timestamp: '2026-11-24T06:00:00Z',
    author: { name: 'Octo Cat', email: 'octocat@example.com', username: 'octocat' },
    committer: { name: 'Octo Cat', email: 'octocat@example.com', username: 'octocat' },
  };
  return {
    name: 'push',
    ref,
    workflowFile: '.github/workflows/deploy.yml',
    payload: {
      ref,
      before: options.before ?? '0'.repeat(40),
      after: sha,
      created: false,
      deleted: false,
      forced: false,
      base_ref: null,
      compare: `https://github.com/${repository.owner}/${repository.name}/compare/${(options.before ?? '0'.repeat(40)).slice(0, 12)}...${sha.slice(0, 12)}`,
      commits: [commit],
      head_commit: commit,
      pusher: { name: 'octocat', email: 'octocat@example.com' },
      repository: repositoryPayload(repository),
      sender: SENDER,
    },
  };
}

/** A run started by hand from the Actions tab (`on: workflow_dispatch`) with its inputs, all strings as GitHub sends them. */
export function workflowDispatchEvent(
  inputs: Record<string, string>,
  options: { branch?: string; workflowFile?: string; repository?: EventRepository } = {},
): GithubEvent {
  const ref = `refs/heads/${options.branch ?? 'main'}`;
  const workflowFile = options.workflowFile ?? '.github/workflows/manual.yml';
  return {
    name: 'workflow_dispatch',
    ref,
    workflowFile,
    payload: {
      inputs,
      ref,
      repository: repositoryPayload(options.repository ?? DEFAULT_REPOSITORY),
      sender: SENDER,
      workflow: workflowFile,
    },
  };
}

/** A scheduled run (`on: schedule`), which runs on the default branch. */
export function scheduleEvent(cron: string, options: { workflowFile?: string } = {}): GithubEvent {
  const workflowFile = options.workflowFile ?? '.github/workflows/health-check.yml';
  return { name: 'schedule', ref: 'refs/heads/main', workflowFile, payload: { schedule: cron, workflow: workflowFile } };
}
