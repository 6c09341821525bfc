/**
 * The release history file's shape, checked when it is read: a file edited by hand, cut short or
 * written by something else is refused with what is wrong, instead of being taken for an empty
 * history (and overwritten by the next write) or failing later on a missing field.
 */
import { z } from 'zod';
import { keyPath } from '../key-path.js';
import { RELEASE_STATES, type Release } from './release.js';

const optionalText = z.string().optional();

/** The fields berth reads without checking; others (a later version's) are kept as they are. */
const releaseSchema = z.looseObject({
  id: z.string().min(1),
  ref: z.string(),
  commit: optionalText,
  previousCommit: optionalText,
  state: z.enum(RELEASE_STATES),
  failedStep: optionalText,
  error: optionalText,
  startedAt: optionalText,
  finishedAt: optionalText,
  steps: z.array(z.looseObject({ name: z.string(), result: z.string(), durationMs: z.number() })).default([]),
  images: z.record(z.string(), z.string()).default({}),
  imageNames: z.record(z.string(), z.string()).default({}),
});

const historySchema = z.looseObject({ version: z.number().optional(), releases: z.array(releaseSchema) });

export class InvalidHistoryError extends Error {
  override readonly name = 'InvalidHistoryError';
}

/** The releases in a history file's text (empty text: no releases yet); throws InvalidHistoryError saying what is wrong. */
export function parseHistory(text: string): Release[] {
  if (!text.trim()) return [];
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InvalidHistoryError(`it is not valid JSON (${(error as Error).message})`);
  }
  const parsed = historySchema.safeParse(data);
  if (parsed.success) return parsed.data.releases as Release[];
  const problems = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${keyPath(issue.path) || 'the file'}: ${issue.message.replace(/^Invalid input: /, '')}`);
  throw new InvalidHistoryError(`it is not a berth release history (${problems.join('; ')})`);
}
