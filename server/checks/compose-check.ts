/**
 * `type: compose`: every service of a Compose project on this host has a running container, and a
 * `healthy` one where the image has a healthcheck. Compose is driven through the `docker-compose`
 * npm package (v2 `docker compose`, or v1 `docker-compose`); container state comes from
 * `docker inspect` on the ids `ps -q` lists, which both versions answer the same way.
 */
import * as compose from 'docker-compose';
import { stat } from 'node:fs/promises';
import type { ComposeFlavor } from '../../core/commands/compose.js';
import { detectCompose } from '../../core/engine/detect-compose.js';
import { LocalExecutor } from '../../core/exec/local-executor.js';
import { type ContainerState, parseInspect } from '../../core/health/containers.js';
import type { ComposeCheckConfig } from '../config/server-config.js';
import { type CheckOutcome, failed, passed, type Probe } from './check-outcome.js';

/** How many log lines of a failing service an alert carries. */
export const LOG_LINES = 20;

/** What is wrong with each service, or nothing when all are up. Pure. */
export function composeProblems(
  services: readonly string[],
  containers: readonly ContainerState[],
): Array<{ service: string; problem: string }> {
  const problems: Array<{ service: string; problem: string }> = [];
  for (const service of services) {
    const own = containers.filter((c) => c.service === service);
    // A one-shot job (a migration) that exited 0 and is not restarted has done its work.
    const finished = (c: ContainerState): boolean => c.state === 'exited' && c.exitCode === 0 && c.restartPolicy === 'no';
    const live = own.filter((c) => !finished(c));
    if (own.length === 0) problems.push({ service, problem: 'has no container' });
    else if (live.length === 0) continue;
    else {
      const bad = live.find((c) => c.state !== 'running' || (c.health !== undefined && c.health !== 'healthy'));
      if (!bad) continue;
      const problem =
        bad.state !== 'running'
          ? `is ${bad.state}${bad.state === 'exited' || bad.state === 'dead' ? ` (code ${bad.exitCode})` : ''}`
          : `is ${bad.health}`;
      problems.push({ service, problem });
    }
  }
  return problems;
}

type ComposeError = { exitCode?: number; err?: string; message?: string };

/** The last lines Compose printed, as one line (v1 indents and wraps its messages). */
function composeFailure(error: unknown): string {
  const e = error as ComposeError;
  const lines = (e.err ?? e.message ?? String(error))
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const text = lines.slice(-3).join(' ');
  return e.exitCode === undefined ? text : `exit ${e.exitCode}: ${text}`;
}

/** Why `path` cannot hold a Compose project, or nothing; Compose itself would only say `spawn … ENOENT` for a missing folder. */
async function folderProblem(path: string): Promise<string | undefined> {
  try {
    return (await stat(path)).isDirectory() ? undefined : 'is not a folder';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'the folder does not exist' : `the folder cannot be read (${code ?? String(error)})`;
  }
}

/** Rejects with an AbortError when the signal fires first; the docker-compose package takes no signal. */
function beforeAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

let flavor: Promise<ComposeFlavor | undefined> | undefined;

export const composeProbe: Probe<ComposeCheckConfig> = async (config, signal): Promise<CheckOutcome> => {
  const folder = await folderProblem(config.path);
  if (folder) return failed(`compose project ${config.path}: ${folder}`);
  const found = await (flavor ??= detectCompose(new LocalExecutor()));
  if (!found) return failed('Docker Compose was not found on this host (docker compose or docker-compose).');
  const options: compose.IDockerComposeOptions = {
    cwd: config.path,
    config: [...config.composeFiles],
    composeOptions: config.projectName ? [['--project-name', config.projectName]] : [],
    ...(found === 'v1' ? { executable: { standalone: true as const } } : {}),
  };
  try {
    const services = (await beforeAbort(compose.configServices(options), signal)).data.services;
    const listed = await beforeAbort(compose.execCompose('ps', found === 'v2' ? ['--all', '--quiet'] : ['--quiet'], options), signal);
    const ids = listed.out.split('\n').filter(Boolean);
    let containers: ContainerState[] = [];
    if (ids.length > 0) {
      const inspected = await new LocalExecutor().run(['docker', 'inspect', ...ids], { signal });
      if (inspected.code !== 0) return failed(`docker inspect failed: ${inspected.stderr.trim()}`);
      containers = parseInspect(inspected.stdout);
    }
    const problems = composeProblems(services, containers);
    if (problems.length === 0) return passed;
    const failing = problems.map((p) => p.service);
    const first = failing[0] ?? '';
    const logs = await beforeAbort(
      compose.logs(first, { ...options, commandOptions: ['--no-color', ['--tail', String(LOG_LINES)]] }),
      signal,
    )
      .then((r) => r.out.trimEnd())
      .catch(() => '(its logs could not be read)');
    return failed(problems.map((p) => `${p.service} ${p.problem}`).join('; '), { failingServices: failing, logTail: logs });
  } catch (error) {
    if (signal.aborted) return failed(`compose project ${config.path}: no answer within ${config.timeoutMs / 1000} s`);
    return failed(`compose project ${config.path}: ${composeFailure(error)}`);
  }
};
