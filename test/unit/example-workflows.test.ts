/**
 * The files a team copies: the workflows use only inputs action.yml declares and give every required one, the
 * workflow linter (tools/lint-workflows.ts) rejects what GitHub would and accepts what GitHub has, and the
 * companion server's example config passes the server's own validation.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { parseConfig } from '../../server/config/load-config.js';
import { lintWorkflow, workflowFiles } from '../../tools/lint-workflows.js';
import { actionManifest } from '../helpers/action-manifest.js';
import { pushEvent, workflowDispatchEvent } from '../helpers/github-events.js';
import { berthStep } from '../helpers/workflow-step.js';

const root = process.cwd();

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}

/** The steps of a workflow that run berth (the published action or this repository's own). */
function berthSteps(file: string): Step[] {
  const workflow = parse(readFileSync(file, 'utf8')) as { jobs?: Record<string, { steps?: Step[] }> };
  return Object.values(workflow.jobs ?? {})
    .flatMap((job) => job.steps ?? [])
    .filter((step) => /(^|\/)berth@|^\.\/?$/.test(step.uses ?? ''));
}

describe('the example workflows', () => {
  const examples = workflowFiles(root).filter((file) => file.includes('examples/workflows/'));

  it('are the ones the README shows', () => {
    assert.deepEqual(
      examples.map((file) => relative(root, file)),
      [
        'examples/workflows/deploy-fleet.yml',
        'examples/workflows/deploy.yml',
        'examples/workflows/health-check.yml',
        'examples/workflows/manual.yml',
      ],
    );
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const file of examples) assert.ok(readme.includes(relative(root, file)), `README links ${relative(root, file)}`);
    const deploy = readFileSync(join(root, 'examples/workflows/deploy.yml'), 'utf8')
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('#'))
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
    assert.ok(readme.includes(`\`\`\`yaml\n${deploy}\n\`\`\``), 'the quick start shows deploy.yml as it is, without its comments');
  });

  it('run berth with declared inputs only, and every required one', () => {
    const inputs = actionManifest().inputs;
    const required = [...inputs.values()].filter((input) => input.required).map((input) => input.name);
    for (const file of examples) {
      const steps = berthSteps(file);
      assert.ok(steps.length > 0, `${file} runs berth`);
      for (const step of steps) {
        const given = Object.keys(step.with ?? {});
        assert.deepEqual(
          given.filter((name) => !inputs.has(name)),
          [],
          `${file}: inputs action.yml does not declare`,
        );
        assert.deepEqual(
          required.filter((name) => !given.includes(name)),
          [],
          `${file}: required inputs not given`,
        );
      }
    }
  });

  it('offer every command in manual.yml, and ask status of the scheduled check', () => {
    const manual = parse(readFileSync(join(root, 'examples/workflows/manual.yml'), 'utf8')) as {
      on: { workflow_dispatch: { inputs: { command: { type: string; options: string[] } } } };
    };
    assert.equal(manual.on.workflow_dispatch.inputs.command.type, 'choice');
    assert.deepEqual(manual.on.workflow_dispatch.inputs.command.options, ['deploy', 'rollback', 'restart', 'logs', 'status']);
    const [check] = berthSteps(join(root, 'examples/workflows/health-check.yml'));
    assert.equal(check?.with?.command, 'status');
  });
});

describe('the example workflows evaluated as GitHub runs them', () => {
  const contexts = {
    vars: { DEPLOY_HOST: 'app.example.com', DEPLOY_KNOWN_HOSTS: 'app.example.com ssh-ed25519 AAAA', APP_URL: 'https://app.example.com' },
    secrets: { DEPLOY_KEY: 'KEY TEXT', UNUSED: 'other' },
  };

  it('passes a manual rollback with an empty ref through, so berth picks the previous good release', () => {
    const step = berthStep(
      join(root, 'examples/workflows/manual.yml'),
      workflowDispatchEvent({ command: 'rollback', ref: '', services: '' }),
      contexts,
    );
    assert.equal(step.with.command, 'rollback');
    assert.equal(step.with.ref, '');
    assert.equal(step.with.host, 'app.example.com');
    assert.equal(step.with['private-key'], 'KEY TEXT');
    assert.equal(step.with['log-lines'], '200');
    assert.deepEqual(step.masks, ['KEY TEXT']);
  });

  it('deploys the pushed commit on push: no command and no ref, so the defaults apply', () => {
    const step = berthStep(join(root, 'examples/workflows/deploy.yml'), pushEvent('a'.repeat(40)), contexts);
    assert.equal(step.with.command, undefined);
    assert.equal(step.with.ref, undefined);
    assert.equal(step.with['environment-url'], 'https://app.example.com');
  });
});

describe('the workflow linter', () => {
  it('rejects what GitHub would reject, each finding with its line', async () => {
    const findings = await lintWorkflow(
      'broken.yml',
      [
        'on:',
        '  push:',
        '    branchs: [main]',
        'jobs:',
        '  deploy:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - run: echo "${{ input.command }}"',
        '      - run: echo "${{ github.nosuch }}"',
      ].join('\n'),
    );
    const found = findings.map((f) => `${f.line}:${f.source}:${f.message.slice(0, 40)}`);
    assert.deepEqual(found, [
      "3:github:Unexpected value 'branchs'",
      "8:github:Unrecognized named-value: 'input'",
      '8:actionlint:undefined variable "input". available va',
      '9:actionlint:property "nosuch" is not defined in obje',
    ]);
  });

  it('accepts the `vars` context and the keys GitHub added after its actionlint build', async () => {
    const findings = await lintWorkflow(
      'current.yml',
      [
        'on: push',
        'jobs:',
        '  deploy:',
        '    runs-on: ubuntu-latest',
        '    environment:',
        '      name: production',
        '      deployment: false',
        '    steps:',
        '      - run: echo "${{ vars.DEPLOY_HOST }}"',
      ].join('\n'),
    );
    assert.deepEqual(findings, []);
  });

  it('finds every workflow file of the repository', () => {
    const files = workflowFiles(root).map((file) => relative(root, file));
    assert.ok(files.includes('.github/workflows/ci.yml'));
    assert.ok(files.includes('examples/workflows/deploy.yml'));
  });
});

describe("the companion server's example", () => {
  it('passes the server’s config validation', () => {
    const text = readFileSync(join(root, 'examples/server/berth.yml'), 'utf8');
    const env = {
      BERTH_API_TOKEN: 'a'.repeat(32),
      APP_DATABASE_URL: 'postgres://app:pw@db:5432/app',
      SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/x',
    };
    const config = parseConfig(text, env);
    assert.deepEqual(
      config.backups.map((b) => b.name),
      ['app'],
    );
    assert.deepEqual(config.alerts, [{ type: 'slack', url: env.SLACK_WEBHOOK_URL }]);
    assert.equal(config.github.webhookSecret, undefined, 'no secret: the webhook answers 404');
    assert.equal(parseConfig(text, { ...env, GITHUB_WEBHOOK_SECRET: 'gh-secret' }).github.webhookSecret, 'gh-secret');
    assert.throws(() => parseConfig(text, { ...env, SLACK_WEBHOOK_URL: '' }), /alerts\[0\]\.url: refers to \$\{SLACK_WEBHOOK_URL\}/);
  });
});
