/** action.yml as GitHub's runner reads it: the declared inputs with their defaults, and the outputs. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface ManifestInput {
  readonly name: string;
  /** The default text as written, possibly an expression such as `${{ github.token }}`; '' when none. */
  readonly default: string;
  readonly hasDefault: boolean;
  readonly required: boolean;
  readonly description: string;
}

export interface ActionManifest {
  readonly inputs: ReadonlyMap<string, ManifestInput>;
  readonly outputs: ReadonlyMap<string, { readonly description: string }>;
  readonly runs: { readonly using: string; readonly main: string };
}

interface RawManifest {
  inputs?: Record<string, { default?: unknown; required?: unknown; description?: unknown }>;
  outputs?: Record<string, { description?: unknown }>;
  runs?: { using?: unknown; main?: unknown };
}

let cached: ActionManifest | undefined;

/** Reads the repository's action.yml (once per process). */
export function actionManifest(file = join(process.cwd(), 'action.yml')): ActionManifest {
  if (cached) return cached;
  const raw = parse(readFileSync(file, 'utf8')) as RawManifest;
  const inputs = new Map<string, ManifestInput>();
  for (const [name, meta] of Object.entries(raw.inputs ?? {})) {
    const hasDefault = meta.default !== undefined && meta.default !== null;
    inputs.set(name, {
      name,
      default: hasDefault ? String(meta.default) : '',
      hasDefault,
      required: meta.required === true,
      description: String(meta.description ?? ''),
    });
  }
  const outputs = new Map(Object.entries(raw.outputs ?? {}).map(([name, meta]) => [name, { description: String(meta.description ?? '') }]));
  cached = { inputs, outputs, runs: { using: String(raw.runs?.using), main: String(raw.runs?.main) } };
  return cached;
}
