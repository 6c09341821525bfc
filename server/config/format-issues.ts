/** zod issues as berth's config problems: one line each, `checks[1].url: …`, unknown keys one by one. */
import type { z } from 'zod';
import { keyPath } from '../../core/key-path.js';

type PathKey = PropertyKey;

function valueAt(data: unknown, path: readonly PathKey[]): unknown {
  let value = data;
  for (const key of path) value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
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
    // A wrong number says what it got; strings never do (they may be secrets).
    if (/^expected a (whole )?number/.test(message)) message = `${message}, got ${JSON.stringify(valueAt(data, issue.path))}`;
    lines.push(`${path || 'the config'}: ${message}`);
  }
  return [...new Set(lines)];
}
