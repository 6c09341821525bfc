/** `berth <command> [flags]`: the same engine as the action, from a terminal. */
import { spawnSync } from 'node:child_process';
import { runLint } from '../core/engine/lint.js';
import { commandSucceeded, type HostOutcome } from '../core/engine/outcome.js';
import { runCommand } from '../core/engine/run-command.js';
import { BerthError, describeError, InputError } from '../core/errors.js';
import { LocalExecutor } from '../core/exec/local-executor.js';
import { RunControl, stopOnSignals } from '../core/run-control.js';
import { consoleLogger } from '../core/log.js';
import { COMMANDS, Inputs } from '../core/settings/input-names.js';
import { parseSettings } from '../core/settings/parse-settings.js';
import { connectSsh } from '../core/ssh/ssh-connection.js';
import { parseCli } from './cli-inputs.js';
import { cliReporter } from './cli-reporter.js';

export const USAGE = `Usage: berth <command> [flags]

Commands: ${COMMANDS.join(', ')}
          server [--config berth.yml]     the companion server (see README)
          restore <file> --database-url … restore a backup (berth restore --help)

Flags are the action's inputs (see action.yml), each also read from BERTH_<NAME>:
  --host (again for each host: --host a --host b), --port, --username, --private-key-file, --passphrase, --password,
  --known-hosts-file, --host-fingerprint, --insecure-skip-host-key-check,
  --proxy-host, --proxy-port, --proxy-username, --proxy-private-key-file, --proxy-known-hosts-file,
  --path, --ref, --compose-files, --project-name, --orchestrator, --registry, --services, --lint-command,
  --strategy, --public-port, --web-service, --colour-ports, --proxy-image, --migrate-command,
  --health-url, --health-timeout, --rollback-on-failure, --log-lines, --lock-timeout, --timeout, --parallel

deploy ships --ref (default: this directory's git HEAD, which must be pushed).
Ctrl-C cancels: the remote work is stopped, the release recorded cancelled, and a started
new version rolled back; a second Ctrl-C exits at once.
Exit codes: 0 succeeded (or superseded), 1 failed or rolled back, 2 invalid input, 130 cancelled.
`;

/** One host of a run on several: `  web1: succeeded, running 3f2c1ab…` */
function hostLine(row: HostOutcome): string {
  const running = row.commit ? `, running ${row.commit.slice(0, 12)}` : '';
  return `  ${row.host}: ${row.status}${running}${row.failedStep ? ` (failed step: ${row.failedStep})` : ''}`;
}

function localHead(): string | undefined {
  const result = spawnSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** Loads the server's code, saying which Node it needs where node:sqlite is missing (before 22.13). */
async function loadServerCode<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_UNKNOWN_BUILTIN_MODULE') throw error;
    throw new BerthError(
      `The server and restore commands need Node 22.13 or newer (for node:sqlite); this is Node ${process.version}.`,
      'Deploys and the other commands work on this Node; run the server on Node 24, as its Dockerfile does.',
    );
  }
}

/** Resolves with the exit code, or undefined for `server`, which keeps running. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number | undefined> {
  try {
    // The server and restore code (node:sqlite, pg, hono) load only for their commands: deploy
    // and --help stay light, and run on Node versions whose node:sqlite is missing or flagged.
    if (argv[0] === 'server') {
      const { serverMain } = await loadServerCode(() => import('../server/main.js'));
      await serverMain(argv.slice(1), env);
      return undefined;
    }
    if (argv[0] === 'restore') {
      const { restoreMain } = await loadServerCode(() => import('./restore-command.js'));
      return await restoreMain(argv.slice(1), env);
    }
    const cli = parseCli(argv, env);
    if (cli.help || !cli.command) {
      process.stdout.write(USAGE);
      return cli.help ? 0 : 2;
    }
    const command = cli.command;
    const settings = parseSettings((name) => (name === Inputs.command ? command : cli.read(name)), { defaultRef: localHead() });
    const reporter = cliReporter();
    // Ctrl-C stops the run as GitHub's cancel does; a second one exits at once.
    const control = new RunControl({ timeoutMs: settings.timeoutMs });
    const stopListening = stopOnSignals(control, { log: (message) => consoleLogger.warn(message), secondInterrupt: 'exit' });
    const outcome = await runCommand(settings, {
      reporter,
      connect: (ssh) => connectSsh(ssh, { logger: consoleLogger }),
      lint: (lintCommand, signal) => runLint(new LocalExecutor(), lintCommand, process.cwd(), reporter, signal),
      owner: `berth CLI (${env.USER ?? 'unknown'})`,
      context: control.context,
    }).finally(() => {
      stopListening();
      control.dispose();
    });
    const lines = [
      `status: ${outcome.status}`,
      outcome.release ? `release: ${outcome.release.id}` : '',
      outcome.deployedRef ? `running: ${outcome.deployedRef}` : '',
      outcome.checkedOut ? `checked out: ${outcome.checkedOut} (not what runs)` : '',
      outcome.rollback
        ? `rolled back from ${outcome.rollback.from ?? 'nothing'} to ${outcome.rollback.to} (${outcome.rollback.images} images)`
        : '',
      outcome.failedStep
        ? `${outcome.status === 'cancelled' ? 'cancelled in step' : 'failed step'}: ${outcome.failedStep}\n${outcome.error ?? ''}`
        : '',
      outcome.supersededBy ? `superseded by: ${outcome.supersededBy} (already running; nothing deployed)` : '',
      ...Object.entries(outcome.services).map(([name, s]) => `  ${name}: ${s.state}${s.health ? ` (${s.health})` : ''}`),
      ...(outcome.hosts.length > 1 ? outcome.hosts.map(hostLine) : []),
    ];
    process.stdout.write(`${lines.filter(Boolean).join('\n')}\n`);
    if (commandSucceeded(outcome)) return 0;
    if (outcome.status === 'cancelled') return 130;
    // An input the server showed to be wrong (an unknown service or ref) is invalid input, like a bad flag.
    return outcome.failedStep === 'inputs' ? 2 : 1;
  } catch (error) {
    process.stderr.write(`berth: ${describeError(error)}\n`);
    return error instanceof InputError ? 2 : 1;
  }
}
