/**
 * Secrets kept out of what berth shows and stores: the one place URL passwords are taken out
 * of text, used wherever a URL reaches a log line, an annotation, a summary or the release history.
 */

/** What stands in for a secret. */
export const REDACTED = '[REDACTED]';

/** `scheme://user:` before a password, and the password up to the `@`. */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@/\s]+@/gi;

/** Replaces the password of every URL in a text (`https://user:pass@host` → `https://user:[REDACTED]@host`). */
export function redactUrlPasswords(text: string): string {
  return text.replace(URL_PASSWORD, `$1${REDACTED}@`);
}

/** A URL as berth shows it: its password redacted. */
export function showUrl(url: URL): string {
  return redactUrlPasswords(url.href);
}

/** A URL as berth publishes it (a GitHub Deployment's environment link): without its user name and password. */
export function publicUrl(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}

/**
 * The password of a URL input, as typed and as decoded, for masking in logs; none when the
 * text has no password or is not a URL.
 */
export function urlSecrets(text: string): string[] {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    // Not a URL: the validator says so, and shows it through redactUrlPasswords.
    return [];
  }
  if (!url.password) return [];
  let decoded = url.password;
  try {
    decoded = decodeURIComponent(url.password);
  } catch {
    // A malformed escape: the raw form is all there is.
  }
  return [...new Set([url.password, decoded])];
}
