/**
 * Runs the bundled action (`dist/action/index.js`) the way GitHub's runner does: Node 24 in the workspace,
 * an INPUT_* variable for every input action.yml declares (the workflow's `with:` values, else the default,
 * else ''), the runner's GITHUB_* and RUNNER_* variables, an event payload file, and the files the action
 * writes (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, …). Cancel sends what the runner sends: SIGINT, SIGTERM
 * 7.5 s later, SIGKILL 2.5 s after that.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InputName } from '../../core/settings/input-names.js';
import { actionManifest } from './action-manifest.js';
import { type FakeGithub, type RecordedRequest, startFakeGithub } from './fake-github.js';
import { DEFAULT_REPOSITORY, type GithubEvent, pushEvent } from './github-events.js';
import { type Annotation, type LogGroup, parseOutputFile, parseRunnerLog } from './runner-log.js';

export interface ActionRunOptions {
  /** The step's `with:` as the workflow evaluated it; an input given as '' stays '' (no default), as on GitHub. */
  readonly with?: Partial<Record<InputName, string>>;
  /** The triggering event; a push of `sha` to main when not given. */
  readonly event?: GithubEvent;
  /** GITHUB_SHA; for a push, the pushed commit when not given. */
  readonly sha?: string;
  /** The value of `github.token` (the default of the `github-token` input); the runner masks it. */
  readonly token?: string;
  /** Values the runner masks from the first line: the secrets the workflow uses (the job's token always is). */
  readonly masks?: readonly string[];
  /** A fake GitHub API to record into; one is started for the run when not given. */
  readonly github?: FakeGithub;
  /** Job and step `env:`, applied last. */
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

export interface ActionRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** stdout and stderr as written, workflow commands included. */
  readonly output: string;
  /** The log lines as the job page shows them (commands consumed, masks applied). */
  readonly log: string;
  readonly annotations: readonly Annotation[];
  readonly groups: readonly LogGroup[];
  readonly masks: readonly string[];
  readonly outputs: Readonly<Record<string, string>>;
  /** The job summary (HTML) the step wrote. */
  readonly summary: string;
  /** Requests the action made to the GitHub API during the run. */
  readonly github: readonly RecordedRequest[];
  /** Signals sent by cancel(), in order. */
  readonly signalsSent: readonly NodeJS.Signals[];
  readonly durationMs: number;
}

export interface CancelOptions {
  readonly sigintGraceMs?: number;
  readonly sigtermGraceMs?: number;
}

export interface RunningAction {
  readonly pid: number;
  readonly finished: Promise<ActionRun>;
  /** The output so far, commands included. */
  output(): string;
  /** Resolves once the output so far matches; rejects if the process ends first or time runs out. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Cancels the step as GitHub does and resolves with the run. */
  cancel(options?: CancelOptions): Promise<ActionRun>;
}

const BUNDLE = join(process.cwd(), 'dist/action/index.js');
const RUNNER_SIGINT_GRACE_MS = 7500;
const RUNNER_SIGTERM_GRACE_MS = 2500;

/** INPUT_* for every declared input: the given value, else the evaluated default, else ''. */
export function inputVariables(given: Readonly<Record<string, string | undefined>>, token: string): Record<string, string> {
  const manifest = actionManifest();
  const unknown = Object.keys(given).filter((name) => !manifest.inputs.has(name));
  if (unknown.length > 0) throw new Error(`action.yml declares no input ${unknown.join(', ')} (the runner would ignore it)`);
  const env: Record<string, string> = {};
  for (const input of manifest.inputs.values()) {
    const value = given[input.name] ?? evaluateDefault(input.default, token);
    // As the runner's NodeScriptActionHandler names them: spaces become '_', dashes stay.
    env[`INPUT_${input.name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  return env;
}

function evaluateDefault(text: string, token: string): string {
  return text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expression: string) => {
    if (expression === 'github.token') return token;
    throw new Error(`the harness cannot evaluate the default \${{ ${expression} }}`);
  });
}

function runnerVariables(event: GithubEvent, sha: string, dir: string, apiUrl: string): Record<string, string> {
  const files = Object.fromEntries(['output', 'summary', 'env', 'path', 'state'].map((name) => [name, join(dir, name)]));
  for (const file of Object.values(files)) writeFileSync(file, '');
  const eventPath = join(dir, 'event.json');
  writeFileSync(eventPath, JSON.stringify(event.payload, null, 2));
  const repository = (event.payload.repository as { full_name?: string } | undefined)?.full_name;
  const fullName = repository ?? `${DEFAULT_REPOSITORY.owner}/${DEFAULT_REPOSITORY.name}`;
  const workspace = join(dir, 'workspace');
  const temp = join(dir, 'temp');
  for (const folder of [workspace, temp, join(dir, 'home')]) mkdirSync(folder);
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: join(dir, 'home'),
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTION: '__your-org_berth',
    GITHUB_ACTION_REPOSITORY: 'your-org/berth',
    GITHUB_ACTION_REF: 'v1',
    GITHUB_ACTOR: 'octocat',
    GITHUB_ACTOR_ID: '583231',
    GITHUB_TRIGGERING_ACTOR: 'octocat',
    GITHUB_API_URL: apiUrl,
    GITHUB_GRAPHQL_URL: `${apiUrl}/graphql`,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_JOB: 'deploy',
    GITHUB_REF: event.ref,
    GITHUB_REF_NAME: event.ref.replace(/^refs\/(heads|tags)\//, ''),
    GITHUB_REF_TYPE: event.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    GITHUB_REF_PROTECTED: 'true',
    GITHUB_HEAD_REF: '',
    GITHUB_BASE_REF: '',
    GITHUB_REPOSITORY: fullName,
    GITHUB_REPOSITORY_ID: '424242',
    GITHUB_REPOSITORY_OWNER: fullName.split('/')[0] ?? '',
    GITHUB_REPOSITORY_OWNER_ID: '4242',
    GITHUB_RUN_ID: '1658821493',
    GITHUB_RUN_NUMBER: '42',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_RETENTION_DAYS: '90',
    GITHUB_SHA: sha,
    GITHUB_WORKFLOW: event.workflowFile.replace(/^.*\/|\.ya?ml$/g, ''),
    GITHUB_WORKFLOW_REF: `${fullName}/${event.workflowFile}@${event.ref}`,
    GITHUB_WORKFLOW_SHA: sha,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: files.output ?? '',
    GITHUB_STEP_SUMMARY: files.summary ?? '',
    GITHUB_ENV: files.env ?? '',
    GITHUB_PATH: files.path ?? '',
    GITHUB_STATE: files.state ?? '',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: process.arch === 'arm64' ? 'ARM64' : 'X64',
    RUNNER_NAME: 'GitHub Actions 7',
    RUNNER_ENVIRONMENT: 'github-hosted',
    RUNNER_TEMP: temp,
    RUNNER_TOOL_CACHE: join(dir, 'toolcache'),
  };
}

/** Starts the bundle as a step of a job; see runAction() for one that waits. */
export async function startAction(options: ActionRunOptions = {}): Promise<RunningAction> {
  const event = options.event ?? pushEvent(options.sha ?? '0'.repeat(40));
  const sha = options.sha ?? (event.name === 'push' ? String(event.payload.after) : '0'.repeat(40));
  const token = options.token ?? 'ghs_runnerTokenForThisJob0123456789';
  const github = options.github ?? (await startFakeGithub());
  const firstRequest = github.requests.length;
  const dir = mkdtempSync(join(tmpdir(), 'berth-runner-'));
  const env = { ...runnerVariables(event, sha, dir, github.url), ...inputVariables(options.with ?? {}, token), ...options.env };

  const started = Date.now();
  // Asynchronous, so that servers in this process (the fake GitHub API) can answer meanwhile.
  const child = spawn(process.execPath, [BUNDLE], { env, cwd: env.GITHUB_WORKSPACE, timeout: options.timeoutMs ?? 300_000 });
  const chunks: Buffer[] = [];
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    chunks.push(chunk);
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const output = (): string => Buffer.concat(chunks).toString();
  const signalsSent: NodeJS.Signals[] = [];
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (code, signal) => resolve([code, signal])),
  );

  const finished = exited.then(async ([code, signal]): Promise<ActionRun> => {
    for (const listener of listeners) listener();
    const text = output();
    const log = parseRunnerLog(text, [token, ...(options.masks ?? [])]);
    const run: ActionRun = {
      code,
      signal,
      output: text,
      log: log.lines.join('\n'),
      annotations: log.annotations,
      groups: log.groups,
      masks: log.masks,
      outputs: parseOutputFile(readFileSync(env.GITHUB_OUTPUT ?? '', 'utf8')),
      summary: readFileSync(env.GITHUB_STEP_SUMMARY ?? '', 'utf8'),
      github: github.requests.slice(firstRequest),
      signalsSent,
      durationMs: Date.now() - started,
    };
    if (!options.github) await github.close();
    rmSync(dir, { recursive: true, force: true });
    return run;
  });

  let done = false;
  void exited.then(() => (done = true));
  const waitForExit = (ms: number): Promise<boolean> =>
    Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref())]);

  return {
    pid: child.pid ?? -1,
    finished,
    output,
    waitForOutput: (pattern, timeoutMs = 120_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => settle(new Error(`no output matched ${pattern} within ${timeoutMs} ms:\n${output()}`)), timeoutMs);
        const settle = (error?: Error): void => {
          listeners.delete(check);
          clearTimeout(timer);
          if (error) reject(error);
          else resolve();
        };
        const check = (): void => {
          if (pattern.test(output())) settle();
          else if (done) settle(new Error(`the action ended before its output matched ${pattern}:\n${output()}`));
        };
        listeners.add(check);
        check();
      }),
    cancel: async ({ sigintGraceMs = RUNNER_SIGINT_GRACE_MS, sigtermGraceMs = RUNNER_SIGTERM_GRACE_MS } = {}) => {
      // The runner signals the step's process only, not its group.
      const ladder: [NodeJS.Signals, number][] = [
        ['SIGINT', sigintGraceMs],
        ['SIGTERM', sigtermGraceMs],
        ['SIGKILL', 0],
      ];
      for (const [signal, graceMs] of ladder) {
        if (done) break;
        signalsSent.push(signal);
        child.kill(signal);
        if (await waitForExit(graceMs)) break;
      }
      return finished;
    },
  };
}

/** Runs the bundle to its end. */
export async function runAction(options: ActionRunOptions = {}): Promise<ActionRun> {
  return (await startAction(options)).finished;
}
