/**
 * One interface for running commands, over SSH or on this machine.
 * The deploy logic receives an Executor and does not know which one it has.
 */
import type { Duplex, Readable } from 'node:stream';
import { CommandFailedError } from '../errors.js';
import { shellJoin } from './shell.js';

export interface RunOptions {
  /** Working directory for the command. */
  readonly cwd?: string;
  /** Variables for this command only. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * The command's standard input: data written and then closed, or a stream piped in and
   * closed when it ends (a command can live exactly as long as the caller keeps it open).
   */
  readonly stdin?: string | Buffer | Readable;
  /** Live output, chunk by chunk, as it arrives. */
  readonly onStdout?: (chunk: Buffer) => void;
  readonly onStderr?: (chunk: Buffer) => void;
  /** Keep stdout in the result (default true). Turn off for large streamed output. */
  readonly captureStdout?: boolean;
  /** Ends the command (TERM, then KILL) when aborted. */
  readonly signal?: AbortSignal;
}

export interface RunResult {
  /** Exit code, or null when the command was ended by a signal. */
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

export interface Executor {
  /** Where commands run, for messages: `deploy@example.com:22`, `this machine`. */
  readonly where: string;
  /** Runs one command given as an argument list. Never rejects for a non-zero exit. */
  run(argv: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Opens a TCP connection to host:port as the target machine sees it. */
  openTcp(host: string, port: number): Promise<Duplex>;
  close(): Promise<void>;
}

/** Feeds `stdin` into a command's input: a stream is piped (and ends the input when it ends), data is written. */
export function feedStdin(stdin: RunOptions['stdin'], input: NodeJS.WritableStream): void {
  if (stdin !== undefined && typeof stdin === 'object' && 'pipe' in stdin) stdin.pipe(input);
  else input.end(stdin ?? '');
}

/** How much of stderr a failure message keeps. */
export const STDERR_TAIL_LINES = 20;

/** The last `lines` lines of a text. */
export function tail(text: string, lines = STDERR_TAIL_LINES): string {
  const all = text.trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

/** Runs a command and throws CommandFailedError unless it exits 0. */
export async function runChecked(executor: Executor, argv: readonly string[], options?: RunOptions): Promise<RunResult> {
  return checkResult(argv, executor.where, await executor.run(argv, options));
}

/** The result of `argv` (as the error names it) when it exited 0; else throws CommandFailedError. */
export function checkResult(argv: readonly string[], where: string, result: RunResult): RunResult {
  if (result.code !== 0) throw new CommandFailedError(shellJoin(argv), where, result.code, result.signal, tail(result.stderr));
  return result;
}

/** Collects output chunks; stdout may be dropped when the caller streams it elsewhere. */
export class OutputCollector {
  private readonly chunks: Buffer[] = [];
  constructor(private readonly keep: boolean) {}
  push(chunk: Buffer): void {
    if (this.keep) this.chunks.push(chunk);
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
