/**
 * The berth step of a workflow file as GitHub's runner evaluates it for one run: each `with:` value with its
 * `${{ }}` expressions evaluated by GitHub's own expression evaluator (@actions/expressions) against the run's
 * `inputs`, `vars`, `secrets` and `github` contexts. Tests run the example workflows this way, as shipped.
 */
import { readFileSync } from 'node:fs';
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import { parse } from 'yaml';
import type { InputName } from '../../core/settings/input-names.js';
import type { GithubEvent } from './github-events.js';

export interface WorkflowContexts {
  readonly vars?: Readonly<Record<string, string>>;
  readonly secrets?: Readonly<Record<string, string>>;
}

export interface EvaluatedStep {
  /** The step's inputs as the action receives them. */
  readonly with: Partial<Record<InputName, string>>;
  /** Secret values the step uses: the runner masks them from the first line. */
  readonly masks: readonly string[];
}

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}

const CONTEXTS = ['inputs', 'vars', 'secrets', 'github'];

function evaluate(expression: string, context: data.Dictionary): string {
  const ast = new Parser(new Lexer(expression).lex().tokens, CONTEXTS, []).parse();
  return new Evaluator(ast, context).evaluate().coerceString();
}

/** A value with `${{ … }}` parts, as the runner renders it: each part evaluated and joined as text. */
function render(value: unknown, context: data.Dictionary): string {
  return String(value).replace(/\$\{\{(.*?)\}\}/gs, (_, expression: string) => evaluate(expression.trim(), context));
}

/** The first step that uses berth, evaluated for `event` (a workflow_dispatch event's inputs become `inputs`). */
export function berthStep(file: string, event: GithubEvent, contexts: WorkflowContexts = {}): EvaluatedStep {
  const workflow = parse(readFileSync(file, 'utf8')) as { jobs?: Record<string, { steps?: Step[] }> };
  const step = Object.values(workflow.jobs ?? {})
    .flatMap((job) => job.steps ?? [])
    .find((candidate) => /(^|\/)berth@/.test(candidate.uses ?? ''));
  if (!step) throw new Error(`${file} has no step that uses berth`);
  const plain = {
    inputs: event.name === 'workflow_dispatch' ? (event.payload.inputs ?? {}) : {},
    vars: contexts.vars ?? {},
    secrets: contexts.secrets ?? {},
    github: { event: event.payload, event_name: event.name, ref: event.ref, repository: 'acme/shop', run_id: '1658821493' },
  };
  const context = JSON.parse(JSON.stringify(plain), data.reviver) as data.Dictionary;
  const inputs: Record<string, string> = {};
  for (const [name, value] of Object.entries(step.with ?? {})) inputs[name] = render(value, context);
  const used = JSON.stringify(step.with ?? {});
  const masks = Object.entries(contexts.secrets ?? {})
    .filter(([name]) => used.includes(`secrets.${name}`))
    .map(([, value]) => value);
  return { with: inputs as Partial<Record<InputName, string>>, masks };
}
