/**
 * Typed errors: each says what failed, where, and what to do.
 * They are caught at the edges (the action, the CLI, the server) and turned into
 * annotations, exit codes or JSON; the core never swallows them.
 */

/** Base class: `hint` tells the user what to do next. */
export class BerthError extends Error {
  override readonly name: string = 'BerthError';
  constructor(
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An input, flag or config value is invalid; nothing was done. */
export class InputError extends BerthError {
  override readonly name = 'InputError';
}

/** The server refused every authentication method offered. */
export class AuthenticationError extends BerthError {
  override readonly name = 'AuthenticationError';
}

/** The private key could not be read or decrypted; nothing was sent to the server. */
export class PrivateKeyError extends BerthError {
  override readonly name = 'PrivateKeyError';
}

/** The server presented a host key that does not match the expected one. */
export class HostKeyMismatchError extends BerthError {
  override readonly name = 'HostKeyMismatchError';
  constructor(
    message: string,
    hint: string,
    readonly expected: readonly string[],
    readonly presented: string,
  ) {
    super(message, hint);
  }
}

/** No expected host key is known for this host. */
export class HostKeyUnknownError extends BerthError {
  override readonly name = 'HostKeyUnknownError';
  constructor(
    message: string,
    hint: string,
    readonly presented: string,
  ) {
    super(message, hint);
  }
}

/** The host could not be reached (refused, unreachable, DNS). Retried with backoff. */
export class HostUnreachableError extends BerthError {
  override readonly name = 'HostUnreachableError';
}

/** An operation did not finish within its deadline. */
export class TimeoutError extends BerthError {
  override readonly name = 'TimeoutError';
}

/** An operation was cancelled by the caller. */
export class CancelledError extends BerthError {
  override readonly name = 'CancelledError';
  /** For a remote command: false when it did not report its end after TERM and KILL (it may still run). */
  readonly remoteEnded: boolean | undefined;
  constructor(message: string, hint?: string, options: { remoteEnded?: boolean } = {}) {
    super(message, hint);
    this.remoteEnded = options.remoteEnded;
  }
}

/** The whole run passed its deadline (the `timeout` input); what it was doing was stopped. */
export class RunTimedOutError extends BerthError {
  override readonly name = 'RunTimedOutError';
}

/** The connection dropped (sshd killed, network gone): a command that ran is not run again, and none starts. */
export class ConnectionLostError extends BerthError {
  override readonly name = 'ConnectionLostError';
}

/** A remote or local command exited non-zero or was killed by a signal. */
export class CommandFailedError extends BerthError {
  override readonly name = 'CommandFailedError';
  constructor(
    readonly command: string,
    readonly where: string,
    readonly code: number | null,
    readonly signal: string | null,
    readonly stderrTail: string,
  ) {
    const how = code === null ? `was killed by signal ${signal ?? 'unknown'}` : `exited with code ${code}`;
    const tail = stderrTail.trim() ? `:\n${stderrTail.trimEnd()}` : '';
    super(`Command '${command}' on ${where} ${how}${tail}`);
  }
}

/** Errors whose cause is the connection itself, so trying again may succeed. */
export function isRetryableConnectionError(error: unknown): boolean {
  return error instanceof HostUnreachableError || error instanceof TimeoutError;
}

/** One line for a log or annotation, with the hint when there is one. */
export function describeError(error: unknown): string {
  if (error instanceof BerthError) return error.hint ? `${error.message}\n${error.hint}` : error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
