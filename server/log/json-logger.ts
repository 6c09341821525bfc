/** JSON log lines with secrets redacted: passwords in URLs, bearer tokens, and every configured secret. */
import type { Logger } from '../../core/log.js';
import { REDACTED, redactUrlPasswords } from '../../core/redact.js';

/** Removes URL passwords, bearer tokens and the given secret values from a text. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = redactUrlPasswords(text);
  out = out.replace(/\b(Bearer|token)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`);
  out = out.replace(/\b(PGPASSWORD|password)=\S+/gi, `$1=${REDACTED}`);
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  return out;
}

export interface JsonLogger extends Logger {
  /** Adds values that must never appear in the log (tokens, passwords). */
  addSecrets(...values: Array<string | undefined>): void;
}

export function jsonLogger(write: (line: string) => void = (line) => process.stdout.write(line)): JsonLogger {
  const secrets: string[] = [];
  const log =
    (level: string) =>
    (message: string): void =>
      write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: redact(message, secrets) })}\n`);
  return {
    debug: (message) => {
      if (process.env.BERTH_DEBUG) log('debug')(message);
    },
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    addSecrets: (...values) => {
      for (const value of values) if (value && value.length >= 4 && !secrets.includes(value)) secrets.push(value);
    },
  };
}
