/** Runs commands on this machine, with no shell in between. */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { CancelledError } from '../errors.js';
import { type Executor, feedStdin, OutputCollector, type RunOptions, type RunResult } from './executor.js';

/** How long a cancelled command gets between TERM and KILL. */
const KILL_GRACE_MS = 5000;

export class LocalExecutor implements Executor {
  readonly where = 'this machine';

  run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const [file, ...args] = argv;
    if (file === undefined) throw new TypeError('A command needs at least one word.');
    if (options.signal?.aborted) return Promise.reject(new CancelledError(`Cancelled before '${file}' started.`));
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const child = spawn(file, args, {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
        stdio: ['pipe', 'pipe', 'pipe'],
        // Its own process group, so a cancel reaches what it started too (a lint script's children), as sshd's does.
        detached: true,
      });
      const stdout = new OutputCollector(options.captureStdout !== false);
      const stderr = new OutputCollector(true);
      child.stdout.on('data', (chunk: Buffer) => {
        stdout.push(chunk);
        options.onStdout?.(chunk);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr.push(chunk);
        options.onStderr?.(chunk);
      });
      let killTimer: NodeJS.Timeout | undefined;
      let cancelled = false;
      const onAbort = (): void => {
        cancelled = true;
        signalGroup(child.pid, 'SIGTERM');
        killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      child.stdin.on('error', () => {}); // a command that does not read stdin closes it early
      feedStdin(options.stdin, child.stdin);
      child.on('error', (error) => {
        options.signal?.removeEventListener('abort', onAbort);
        reject(error);
      });
      child.on('close', (code, signal) => {
        clearTimeout(killTimer);
        options.signal?.removeEventListener('abort', onAbort);
        if (cancelled) return reject(new CancelledError(`'${file}' on ${this.where} was cancelled.`));
        resolve({ code, signal, stdout: stdout.text(), stderr: stderr.text(), durationMs: Date.now() - started });
      });
    });
  }

  openTcp(host: string, port: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      socket.once('connect', () => resolve(socket));
      socket.once('error', reject);
    });
  }

  async close(): Promise<void> {}
}

/** Signals a command's whole process group; one that has ended already is left alone. */
function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is gone already.
  }
}
