/** Turns an Outcome into the action's outputs, job summary and error annotation. */
import * as core from '@actions/core';
import { commandSucceeded, type HostOutcome, type Outcome } from '../core/engine/outcome.js';
import type { Release } from '../core/release/release.js';
import { Outputs } from '../core/settings/input-names.js';
import type { Settings } from '../core/settings/settings.js';

const ICONS: Record<Outcome['status'], string> = { succeeded: '✅', rolled_back: '↩️', failed: '❌', cancelled: '🚫', superseded: '⏭️' };

const short = (commit: string | undefined): string => (commit ? commit.slice(0, 12) : '—');
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;
/** Text for the summary's HTML: refs and errors are shown, never interpreted. */
const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const code = (commit: string | undefined): string => `<code>${short(commit)}</code>`;
const header = (...names: string[]) => names.map((data) => ({ data, header: true }));

export function setOutputs(outcome: Outcome): void {
  core.setOutput(Outputs.status, outcome.status);
  core.setOutput(Outputs.releaseId, outcome.release?.id ?? '');
  core.setOutput(Outputs.deployedRef, outcome.deployedRef ?? '');
  core.setOutput(Outputs.previousRef, outcome.previousRef ?? '');
  core.setOutput(Outputs.services, JSON.stringify(outcome.services));
  core.setOutput(Outputs.hosts, JSON.stringify(outcome.hosts.map(hostOutput)));
}

/** A host in the `hosts` output: what a workflow branches on, with null for what is unknown. */
function hostOutput(row: HostOutcome): Record<string, string | null> {
  return {
    host: row.host,
    status: row.status,
    release: row.release ?? null,
    commit: row.commit ?? null,
    failedStep: row.failedStep ?? null,
  };
}

/** The line under the heading: what was asked and what runs now. */
function commitLine(settings: Settings, outcome: Outcome): string {
  const { rollback } = outcome;
  if (rollback) {
    const how =
      rollback.images === 'kept'
        ? 'with the images kept from that release (no rebuild)'
        : 'rebuilt from source (the images kept from that release were gone)';
    return `Rolled back from ${code(rollback.from)} to ${code(rollback.to)}, ${how}.`;
  }
  if (settings.command === 'deploy') {
    return `Commit: ${code(outcome.release?.commit ?? outcome.deployedRef)} (${escape(settings.ref ?? '')}) · running before: ${code(outcome.previousRef)}`;
  }
  const checkedOut = outcome.checkedOut ? ` · checked out: ${code(outcome.checkedOut)} (not what runs)` : '';
  return `Commit running: ${code(outcome.deployedRef)}${checkedOut}`;
}

function releaseNote(release: Release): string {
  if (release.failedStep) return `failed at ${release.failedStep}`;
  if (release.rolledBackFrom) return `rollback from ${short(release.rolledBackFrom)}`;
  return '';
}

export async function writeSummary(settings: Settings, outcome: Outcome): Promise<void> {
  const icon = ICONS[outcome.status];
  const summary = core.summary
    .addHeading(`${icon} berth ${settings.command}: ${outcome.status.replace('_', ' ')}`, 2)
    .addRaw(`<p>${commitLine(settings, outcome)}</p>`, true);
  if (outcome.supersededBy) {
    summary.addRaw(
      `<p>Skipped: a newer commit, ${code(outcome.supersededBy)}, went live while this push deploy waited for the lock, and this commit is its ancestor. Nothing was changed.</p>`,
    );
  }
  if (outcome.failedStep) {
    const failed = outcome.status === 'cancelled' ? 'Cancelled in step' : 'Failed step';
    const title = outcome.failedStep === 'inputs' ? 'Invalid input' : `${failed}: ${outcome.failedStep}`;
    summary.addRaw(`<p><b>${title}</b></p>`).addCodeBlock(escape(outcome.error ?? ''));
  }
  if (outcome.hosts.length > 1) {
    summary.addTable([
      header('host', 'status', 'commit', 'duration', 'failed step'),
      ...outcome.hosts.map((h) => [
        escape(h.host),
        `${ICONS[h.status]} ${h.status.replace('_', ' ')}`,
        code(h.commit),
        seconds(h.durationMs),
        h.failedStep ?? '—',
      ]),
    ]);
  }
  if (outcome.steps.length > 0) {
    summary.addTable([
      header('step', 'result', 'duration'),
      ...outcome.steps.map((s) => [s.name, s.result === 'succeeded' ? '✅ succeeded' : '❌ failed', seconds(s.durationMs)]),
    ]);
  }
  if (outcome.healthyAfterMs !== undefined) summary.addRaw(`<p>Healthy after ${seconds(outcome.healthyAfterMs)}.</p>`);
  const services = Object.entries(outcome.services);
  if (services.length > 0) {
    summary.addTable([
      header('service', 'state', 'health', 'image'),
      ...services.map(([name, s]) => [name, s.state, s.health ?? '—', escape(s.image)]),
    ]);
  }
  if (outcome.history.length > 0) {
    summary
      .addHeading('Latest releases', 3)
      .addTable([
        header('release', 'state', 'commit', 'ref', 'note'),
        ...outcome.history.map((r) => [r.id, r.state.replace('_', ' '), code(r.commit), escape(r.ref), releaseNote(r)]),
      ]);
  }
  await summary.write();
}

/** Fails the step with an annotation naming the failed step. */
export function annotateFailure(outcome: Outcome): void {
  if (commandSucceeded(outcome)) return;
  if (outcome.status === 'cancelled') {
    const step = outcome.failedStep ?? 'run';
    core.error(outcome.error ?? 'cancelled', { title: `berth: cancelled in ${step}` });
    core.setFailed(`Cancelled in ${step}; running: ${short(outcome.deployedRef)}.`);
    return;
  }
  const what = outcome.failedStep === 'inputs' ? 'invalid input' : `${outcome.failedStep ?? 'run'} failed`;
  const title = outcome.status === 'rolled_back' ? `berth: ${what}, rolled back` : `berth: ${what}`;
  core.error(outcome.error ?? 'failed', { title });
  core.setFailed(`${what}${outcome.status === 'rolled_back' ? `; rolled back to ${short(outcome.deployedRef)}` : ''}.`);
}
