/**
 * The building blocks of berth.yml's schema (zod 4). Each carries the message a user sees after
 * its key path, so errors read `checks[1].url: expected an http or https URL, got 'ftp:'`.
 * Numbers and booleans also accept strings, since `${VAR}` interpolation yields strings.
 */
import { z } from 'zod';
import { cronProblem, timezoneProblem } from '../../../core/backup/schedule.js';

type Shape = Record<string, z.ZodType>;

/** A mapping with exactly these keys: any other key is reported with the known ones. */
export function section<S extends Shape>(shape: S, description?: string) {
  const known = Object.keys(shape).join(', ');
  const schema = z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown key (known: ${known})`
        : issue.input === undefined
          ? 'is required'
          : 'expected a mapping',
  });
  return description ? schema.describe(description) : schema;
}

/** A list of items; `items` names what is expected in the message. */
export function list<T extends z.ZodType>(item: T, description: string) {
  return z.array(item, { error: (issue) => (issue.input === undefined ? 'is required' : 'expected a list') }).describe(description);
}

const fromString = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return value;
};

/** A whole number within bounds (strings of digits accepted); the default goes inside, as zod applies it after preprocessing. */
export function integer(min: number, max: number, fallback?: number) {
  const expected = `expected a whole number from ${min} to ${max}`;
  const number = z.int({ error: expected }).min(min, { error: expected }).max(max, { error: expected });
  return z.preprocess(fromString, fallback === undefined ? number : number.default(fallback));
}

/** A number of seconds, fractions allowed. */
export function seconds(max: number, fallback: number) {
  const expected = `expected a number of seconds above 0, at most ${max}`;
  return z.preprocess(
    fromString,
    z.number({ error: expected }).positive({ error: expected }).max(max, { error: expected }).default(fallback),
  );
}

export function flag(fallback: boolean) {
  return z.preprocess(fromString, z.boolean({ error: 'expected true or false' }).default(fallback));
}

/** A non-empty string; numbers are taken as their text (a YAML `chat-id: -100123`). */
export const text = z.preprocess(
  (value) => (typeof value === 'number' ? String(value) : value),
  z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'expected a string') }).min(1, { error: 'is required' }),
);

/** A name that also names files and URL paths. */
export const name = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'expected a string') })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, { error: "use letters, digits, '.', '_' and '-' (it names files and URLs), at most 64" });

function urlProblem(value: string, protocols: readonly string[]): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a valid URL';
  }
  if (protocols.includes(url.protocol)) return undefined;
  const names = protocols.map((p) => p.slice(0, -1));
  return `expected a${names[0]?.startsWith('h') ? 'n' : ''} ${names.join(' or ')} URL, got '${url.protocol}'`;
}

/** A URL with one of the protocols (`'https:'`); the message never repeats the URL, which may hold a password. */
export function url(protocols: readonly string[], description: string) {
  return text
    .pipe(
      z.string().superRefine((value, ctx) => {
        const problem = urlProblem(value, protocols);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    )
    .describe(description);
}

export const httpUrl = (description: string) => url(['http:', 'https:'], description);
export const postgresUrl = (description: string) => url(['postgres:', 'postgresql:'], description);

/** A cron expression croner accepts: 5 fields, or 6 with seconds first. */
export function cron(fallback: string, description: string) {
  return z
    .string({ error: 'expected a cron expression in quotes' })
    .superRefine((value, ctx) => {
      const problem = cronProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: `'${value}' is not a valid cron expression (${problem})` });
    })
    .default(fallback)
    .describe(description);
}

export const timezone = z
  .string({ error: 'expected an IANA time zone such as Europe/Kyiv' })
  .superRefine((value, ctx) => {
    const problem = timezoneProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .optional()
  .describe('IANA time zone of the schedule; default UTC');

const DURATION_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `30m`, `4h`, `1d` → milliseconds. */
export const duration = z
  .string({ error: 'expected a duration such as 30m, 4h or 1d' })
  .regex(/^\d+\s*[smhd]$/, { error: 'expected a duration such as 30m, 4h or 1d' })
  .transform((value) => Number(value.slice(0, -1).trim()) * DURATION_MS[value.slice(-1) as keyof typeof DURATION_MS]);

/** The message of a `type:` discriminated union: missing, unknown, or not a mapping at all. */
export function typeError(types: string) {
  return (issue: { code?: string; input?: unknown }): string => {
    if (issue.code !== 'invalid_union') return 'expected a mapping';
    const type = (issue.input as { type?: unknown } | undefined)?.type;
    return type === undefined ? `is required: ${types}` : `expected ${types}, got ${JSON.stringify(type)}`;
  };
}
