/** zod issues as berth's config problems: one line each, `checks[1].url: …`, unknown keys one by one. */
import type { z } from 'zod';
import { keyPath } from '../../core/key-path.js';

type PathKey = PropertyKey;

function valueAt(data: unknown, path: readonly PathKey[]): unknown {
  let value = data;
  for (const key of path) value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

/** What a wrong value was, without repeating text: numbers as written (`.inf` too), anything else by its kind. */
function shown(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (typeof value === 'string') return 'text';
  return Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : typeof value;
}

/** One problem line per issue (per key for unknown keys), in the order zod found them. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], data: unknown): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const path = keyPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) lines.push(`${path ? `${path}.` : ''}${key}: ${issue.message}`);
      continue;
    }
    let message = issue.message;
    // A wrong number says what it got; text never does (`port: ${SECRET}` may hold a secret).
    if (/^expected a (whole )?number/.test(message)) message = `${message}, got ${shown(valueAt(data, issue.path))}`;
    lines.push(`${path || 'the config'}: ${message}`);
  }
  return [...new Set(lines)];
}
