/**
 * The connection everything that talks to a server uses: jump host, retries on
 * connection failures only, keepalive, commands as argument lists, cancel, TCP forwarding.
 */
import type { Duplex } from 'node:stream';
import { BerthError, CancelledError, ConnectionLostError, isRetryableConnectionError } from '../errors.js';
import { type Executor, feedStdin, OutputCollector, type RunOptions, type RunResult } from '../exec/executor.js';
import { toShellLine } from '../exec/shell.js';
import { type Logger, silentLogger } from '../log.js';
import { type Sleep, withRetry } from '../retry.js';
import { connectHop, type SshClient } from './connect-hop.js';
import type { SshSettings } from './ssh-settings.js';

/** How long a cancelled command gets between TERM and KILL. */
const KILL_GRACE_MS = 5000;
/** How long after KILL berth waits for the command's exit before it closes the channel without it. */
const CLOSE_GRACE_MS = 1000;

export { ConnectionLostError } from '../errors.js';

export interface ConnectOptions {
  readonly logger?: Logger;
  readonly sleep?: Sleep;
}

type SessionChannel = Parameters<Parameters<SshClient['exec']>[1]>[1];

/**
 * Sends a signal request for the channel. ssh2's `signal()` silently does nothing once
 * stdin is closed (`end()`), which most commands here do at once, so the request goes
 * through the protocol object directly while the channel is still open.
 */
function sendSignal(stream: SessionChannel, name: 'TERM' | 'KILL'): void {
  const channel = stream as unknown as {
    outgoing: { id: number; state: string };
    _client: { _protocol: { signal(id: number, name: string): void } };
  };
  // After our EOF the state is 'eof': the channel is still open and may carry requests.
  if (channel.outgoing.state === 'open' || channel.outgoing.state === 'eof') channel._client._protocol.signal(channel.outgoing.id, name);
}

function forward(client: SshClient, host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, host, port, (error, stream) => (error ? reject(error) : resolve(stream)));
  });
}

function endpointLabel(username: string, host: string, port: number): string {
  return `${username}@${host}:${port}`;
}

/** Opens an authenticated, host-verified connection, retrying only when the host could not be reached. */
export async function connectSsh(settings: SshSettings, options: ConnectOptions = {}): Promise<SshConnection> {
  const logger = options.logger ?? silentLogger;
  const where = endpointLabel(settings.username, settings.host, settings.port);
  if (settings.hostKey.mode === 'insecure-skip' || settings.jump?.hostKey.mode === 'insecure-skip') {
    logger.warn(
      'Host key verification is turned off (insecure-skip-host-key-check): anyone between here and the server can impersonate it. Set known-hosts or host-fingerprint.',
    );
  }
  const hop = { timeoutMs: settings.connectTimeoutMs, keepaliveIntervalMs: settings.keepaliveIntervalMs };
  const attempt = async (): Promise<SshConnection> => {
    let jump: SshClient | undefined;
    try {
      let sock: Duplex | undefined;
      if (settings.jump) {
        const jumpLabel = `jump host ${endpointLabel(settings.jump.username, settings.jump.host, settings.jump.port)}`;
        jump = await connectHop(settings.jump, { ...hop, label: jumpLabel });
        sock = await forward(jump, settings.host, settings.port).catch((error: Error) => {
          throw new BerthError(
            `The ${jumpLabel} could not open a connection to ${settings.host}:${settings.port}: ${error.message}.`,
            'Check that the jump host can reach the server and allows TCP forwarding.',
          );
        });
      }
      const client = await connectHop(settings, { ...hop, label: where, ...(sock ? { sock } : {}) });
      return new SshConnection(client, jump, where);
    } catch (error) {
      jump?.end();
      throw error;
    }
  };
  return withRetry(attempt, {
    retries: settings.connectRetries,
    initialDelayMs: 1000,
    maxDelayMs: 8000,
    isRetryable: isRetryableConnectionError,
    onRetry: (error, n, delay) =>
      logger.warn(`${(error as Error).message} Retrying in ${delay / 1000}s (attempt ${n + 1} of ${settings.connectRetries + 1}).`),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
}

/** An open SSH connection; implements the Executor interface. */
export class SshConnection implements Executor {
  private closed = false;
  /** Set by close(): a connection that closes without it was lost (the server, its sshd or the network). */
  private closing = false;

  constructor(
    private readonly client: SshClient,
    private readonly jump: SshClient | undefined,
    readonly where: string,
  ) {
    client.on('error', () => {}); // errors after ready end the running commands through 'close'
    // Many small request/reply exchanges: without TCP_NODELAY, Nagle's algorithm and delayed ACKs add ~40 ms to each.
    client.setNoDelay(true);
    client.on('close', () => {
      this.closed = true;
    });
  }

  run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const line = toShellLine({ argv, cwd: options.cwd, env: options.env });
    if (options.signal?.aborted) return Promise.reject(new CancelledError(`Cancelled before '${argv[0]}' started on ${this.where}.`));
    if (this.closed) {
      const how = this.closing ? 'is closed' : 'was lost (the server, its sshd or the network ended it)';
      return Promise.reject(new ConnectionLostError(`The connection to ${this.where} ${how}; '${argv[0]}' was not run.`));
    }
    const started = Date.now();
    return new Promise((resolve, reject) => {
      this.client.exec(line, (error, stream) => {
        if (error) return reject(new BerthError(`Could not start '${argv[0]}' on ${this.where}: ${error.message}.`));
        const stdout = new OutputCollector(options.captureStdout !== false);
        const stderr = new OutputCollector(true);
        let code: number | null = null;
        let signal: string | null = null;
        let cancelled = false;
        let killTimer: NodeJS.Timeout | undefined;
        stream.on('data', (chunk: Buffer) => {
          stdout.push(chunk);
          options.onStdout?.(chunk);
        });
        stream.stderr.on('data', (chunk: Buffer) => {
          stderr.push(chunk);
          options.onStderr?.(chunk);
        });
        stream.on('exit', (exitCode: number | null, exitSignal?: string) => {
          if (typeof exitCode === 'number') code = exitCode;
          else if (exitSignal) signal = exitSignal.startsWith('SIG') ? exitSignal : `SIG${exitSignal}`;
        });
        const onAbort = (): void => {
          cancelled = true;
          // sshd delivers the signal to the command's whole process group.
          sendSignal(stream, 'TERM');
          killTimer = setTimeout(() => {
            sendSignal(stream, 'KILL');
            killTimer = setTimeout(() => stream.close(), CLOSE_GRACE_MS);
          }, KILL_GRACE_MS);
        };
        options.signal?.addEventListener('abort', onAbort, { once: true });
        stream.on('close', () => {
          clearTimeout(killTimer);
          options.signal?.removeEventListener('abort', onAbort);
          if (cancelled) {
            // sshd reports the command's end (its exit status or signal) once its process is gone.
            const ended = code !== null || signal !== null;
            const how = ended
              ? `was stopped (${signal ?? `exit ${code}`})`
              : 'was cancelled but did not report its end after TERM and KILL: it may still run';
            return reject(new CancelledError(`'${argv[0]}' on ${this.where} ${how}.`, undefined, { remoteEnded: ended }));
          }
          if (code === null && signal === null) {
            return reject(
              new ConnectionLostError(
                `The connection to ${this.where} was lost while '${argv[0]}' ran; it was not run again.`,
                'Check the server and network; the command may or may not have finished on the server.',
              ),
            );
          }
          resolve({ code, signal, stdout: stdout.text(), stderr: stderr.text(), durationMs: Date.now() - started });
        });
        feedStdin(options.stdin, stream);
      });
    });
  }

  openTcp(host: string, port: number): Promise<Duplex> {
    return forward(this.client, host, port);
  }

  close(): Promise<void> {
    this.closing = true;
    return new Promise((resolve) => {
      if (this.closed) {
        this.jump?.end();
        return resolve();
      }
      this.client.once('close', () => {
        this.jump?.end();
        resolve();
      });
      this.client.end();
    });
  }
}
