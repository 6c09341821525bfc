/** Turns an Outcome into the action's outputs, job summary and error annotation. */
import * as core from '@actions/core';
import { commandSucceeded, type Outcome } from '../core/engine/outcome.js';
import { Outputs } from '../core/settings/input-names.js';
import type { Settings } from '../core/settings/settings.js';

const ICONS: Record<Outcome['status'], string> = { succeeded: '✅', rolled_back: '↩️', failed: '❌', cancelled: '🚫', superseded: '⏭️' };

const short = (commit: string | undefined): string => (commit ? commit.slice(0, 12) : '—');
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

export function setOutputs(outcome: Outcome): void {
  core.setOutput(Outputs.status, outcome.status);
  core.setOutput(Outputs.releaseId, outcome.release?.id ?? '');
  core.setOutput(Outputs.deployedRef, outcome.deployedRef ?? '');
  core.setOutput(Outputs.previousRef, outcome.previousRef ?? '');
  core.setOutput(Outputs.services, JSON.stringify(outcome.services));
}

export async function writeSummary(settings: Settings, outcome: Outcome): Promise<void> {
  const icon = ICONS[outcome.status];
  const summary = core.summary
    .addHeading(`${icon} berth ${settings.command}: ${outcome.status.replace('_', ' ')}`, 2)
    .addRaw(
      `Commit: <code>${short(outcome.release?.commit ?? outcome.deployedRef)}</code> (${settings.ref ?? 'previous good release'}) · running before: <code>${short(outcome.previousRef)}</code>`,
      true,
    );
  if (outcome.supersededBy) {
    summary.addRaw(
      `<p>Skipped: a newer commit, <code>${short(outcome.supersededBy)}</code>, went live while this push deploy waited for the lock, and this commit is its ancestor. Nothing was changed.</p>`,
    );
  }
  if (outcome.failedStep) {
    const label = outcome.status === 'cancelled' ? 'Cancelled in step' : 'Failed step';
    summary.addRaw(`<p><b>${label}: ${outcome.failedStep}</b></p>`).addCodeBlock(outcome.error ?? '');
  }
  if (outcome.steps.length > 0) {
    summary.addTable([
      [
        { data: 'step', header: true },
        { data: 'result', header: true },
        { data: 'duration', header: true },
      ],
      ...outcome.steps.map((s) => [s.name, s.result === 'succeeded' ? '✅ succeeded' : '❌ failed', seconds(s.durationMs)]),
    ]);
  }
  if (outcome.healthyAfterMs !== undefined) summary.addRaw(`<p>Healthy after ${seconds(outcome.healthyAfterMs)}.</p>`);
  const services = Object.entries(outcome.services);
  if (services.length > 0) {
    summary.addTable([
      [
        { data: 'service', header: true },
        { data: 'state', header: true },
        { data: 'health', header: true },
        { data: 'image', header: true },
      ],
      ...services.map(([name, s]) => [name, s.state, s.health ?? '—', s.image]),
    ]);
  }
  await summary.write();
}

/** Fails the step with an annotation naming the failed step. */
export function annotateFailure(outcome: Outcome): void {
  if (commandSucceeded(outcome)) return;
  const step = outcome.failedStep ?? 'run';
  if (outcome.status === 'cancelled') {
    core.error(outcome.error ?? 'cancelled', { title: `berth: cancelled in ${step}` });
    core.setFailed(`Cancelled in ${step}; running: ${short(outcome.deployedRef)}.`);
    return;
  }
  const title = outcome.status === 'rolled_back' ? `berth: ${step} failed, rolled back` : `berth: ${step} failed`;
  core.error(outcome.error ?? 'failed', { title });
  core.setFailed(`${step} failed${outcome.status === 'rolled_back' ? `; rolled back to ${short(outcome.deployedRef)}` : ''}.`);
}
