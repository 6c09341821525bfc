/** The action's run(): inputs → settings → engine → outputs, summary and annotations. */
import * as core from '@actions/core';
import { runLint } from '../core/engine/lint.js';
import { runCommand } from '../core/engine/run-command.js';
import { describeError } from '../core/errors.js';
import { LocalExecutor } from '../core/exec/local-executor.js';
import { urlSecrets } from '../core/redact.js';
import { RunControl, stopOnSignals } from '../core/run-control.js';
import { Inputs, SECRET_INPUTS, URL_INPUTS } from '../core/settings/input-names.js';
import { parseSettings } from '../core/settings/parse-settings.js';
import { connectSsh } from '../core/ssh/ssh-connection.js';
import { actionLogger, actionReporter } from './action-reporter.js';
import { trackDeployment } from './github-deployment.js';
import { annotateFailure, setOutputs, writeSummary } from './report-outcome.js';

/** Masks a secret and each of its lines: the runner matches masks line by line. */
export function maskSecret(value: string): void {
  if (!value.trim()) return;
  core.setSecret(value);
  for (const line of value.split(/\r?\n/)) if (line.trim().length >= 4) core.setSecret(line.trim());
}

/** The `health-url=` settings of the `host` input's lines, whose passwords are masked as the input's are. */
function hostLineUrls(hosts: string): string[] {
  return hosts.split(/\s+/).flatMap((token) => (token.startsWith('health-url=') ? [token.slice('health-url='.length)] : []));
}

/**
 * One step of a job. GitHub cancels a step with SIGINT, SIGTERM 7.5 s later, then SIGKILL: SIGINT
 * stops the run (remote work signalled, release recorded, a started `up` rolled back), SIGTERM ends
 * that clean-up's grace. The `timeout` input is the run's deadline.
 */
export async function run(): Promise<void> {
  const env = process.env;
  let control: RunControl | undefined;
  let stopListening = (): void => {};
  try {
    for (const name of SECRET_INPUTS) maskSecret(core.getInput(name));
    for (const url of [...URL_INPUTS.map((name) => core.getInput(name)), ...hostLineUrls(core.getInput(Inputs.host))]) {
      for (const secret of urlSecrets(url)) maskSecret(secret);
    }
    const settings = parseSettings((name) => core.getInput(name), { defaultRef: env.GITHUB_SHA, event: env.GITHUB_EVENT_NAME });
    control = new RunControl({ timeoutMs: settings.timeoutMs });
    stopListening = stopOnSignals(control, { log: (message) => core.info(message), secondInterrupt: 'ignore' });
    const deployment = await trackDeployment(settings, actionLogger);
    const outcome = await runCommand(settings, {
      reporter: actionReporter,
      connect: (ssh) => connectSsh(ssh, { logger: actionLogger }),
      lint: (command, signal) => runLint(new LocalExecutor(), command, env.GITHUB_WORKSPACE ?? process.cwd(), actionReporter, signal),
      owner: `GitHub run ${env.GITHUB_RUN_ID ?? '?'} (${env.GITHUB_WORKFLOW ?? 'workflow'}) by ${env.GITHUB_ACTOR ?? 'unknown'}`,
      context: control.context,
    });
    await deployment.finish(outcome);
    setOutputs(outcome);
    await writeSummary(settings, outcome).catch((error: unknown) =>
      core.warning(`Could not write the job summary: ${describeError(error)}`),
    );
    annotateFailure(outcome);
  } catch (error) {
    core.setFailed(describeError(error));
  } finally {
    stopListening();
    control?.dispose();
  }
}
