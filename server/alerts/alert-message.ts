/**
 * What an alert says, before any channel's format: a title, labelled facts (what, where, since when),
 * the error, the last log lines and a link. Each channel renders this one message its own way. Pure.
 */
import { type Alert, type LogTail, type Severity, severityOf } from './alert.js';

export interface Fact {
  readonly label: string;
  readonly value: string;
}

export interface AlertMessage {
  readonly severity: Severity;
  readonly title: string;
  readonly facts: readonly Fact[];
  readonly error?: string | undefined;
  readonly logTail?: LogTail | undefined;
  readonly link?: { readonly label: string; readonly url: string } | undefined;
}

/** `2026-11-27T03:40:05.123Z` → `2026-11-27 03:40:05 UTC`. */
export function formatTime(iso: string): string {
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? iso : `${time.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** 3_723_000 → `1 h 2 min`; under a minute in seconds. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

const short = (sha: string): string => sha.slice(0, 12);

function fact(label: string, value: string | null | undefined): Fact[] {
  return value ? [{ label, value }] : [];
}

/** The message of an alert: what, where, since when, the error, log lines, the live commit. */
export function alertMessage(alert: Alert): AlertMessage {
  const { event, context } = alert;
  const where = fact('Where', context.host);
  const live = fact('Live commit', context.liveCommit && short(context.liveCommit));
  const base = { severity: severityOf(event), logTail: context.logTail };
  switch (event.kind) {
    case 'check_down': {
      const still = context.reminder ? `still down after ${formatDuration(Date.parse(alert.createdAt) - Date.parse(event.since))}` : '';
      return {
        ...base,
        title: `Check ${event.check} is ${still || 'down'}`,
        facts: [...fact('Check', `${event.check} (${event.checkType})`), ...where, ...fact('Down since', formatTime(event.since)), ...live],
        error: event.error,
      };
    }
    case 'check_recovered':
      return {
        ...base,
        title: `Check ${event.check} is up again`,
        facts: [
          ...fact('Check', `${event.check} (${event.checkType})`),
          ...where,
          ...fact('Down for', `${formatDuration(event.downForMs)} (since ${formatTime(event.since)})`),
        ],
      };
    case 'backup_failed':
      return {
        ...base,
        title: `Backup ${event.backup} failed`,
        facts: [...fact('Backup', event.backup), ...where, ...fact('At', formatTime(event.at)), ...fact('Run', event.runId)],
        error: event.error,
      };
    case 'backup_stale':
      return {
        ...base,
        title: `Backup ${event.backup} is stale`,
        facts: [
          ...fact('Backup', event.backup),
          ...where,
          ...fact('Newest good backup', event.lastGoodAt ? formatTime(event.lastGoodAt) : 'none'),
          ...fact('Expected one since', event.expectedSince && formatTime(event.expectedSince)),
        ],
      };
    case 'retention_failed':
      return {
        ...base,
        title: `Retention of backup ${event.backup} failed (the new backup is good)`,
        facts: [...fact('Backup', event.backup), ...where, ...fact('At', formatTime(event.at))],
        error: event.error,
      };
    case 'deploy_failed':
      return {
        ...base,
        title: `Deploy to ${event.environment} failed`,
        facts: [
          ...fact('Repository', event.repository),
          ...fact('Environment', event.environment),
          ...fact('Commit', `${short(event.sha)}${event.ref && event.ref !== event.sha ? ` (${event.ref})` : ''}`),
          ...where,
          ...live,
          ...fact('By', event.creator),
        ],
        error: context.releaseError ?? event.description ?? `deployment state ${event.state}`,
        link: event.url ? { label: 'Open the run', url: event.url } : undefined,
      };
    case 'workflow_failed':
      return {
        ...base,
        title: `Workflow ${event.workflow} failed${event.branch ? ` on ${event.branch}` : ''}`,
        facts: [
          ...fact('Repository', event.repository),
          ...fact('Workflow', `${event.workflow} #${event.runNumber}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`),
          ...fact('Branch', event.branch),
          ...fact('Commit', short(event.sha)),
          ...fact('Conclusion', event.conclusion),
          ...fact('Triggered by', `${event.trigger}${event.actor ? ` (${event.actor})` : ''}`),
        ],
        link: { label: 'Open the run', url: event.url },
      };
  }
}

/** Cuts text to `max` characters, keeping the end (the newest log lines) and saying so. */
export function keepEnd(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(text.length - max + 2);
  return `…\n${cut.slice(cut.indexOf('\n') + 1 || 0)}`;
}

/** Cuts text to `max` characters, keeping the start. */
export function keepStart(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** The message as plain text: the JSON webhook's `text`, and the log. */
export function plainText(message: AlertMessage): string {
  const lines = [message.title, ...message.facts.map((f) => `${f.label}: ${f.value}`)];
  if (message.error) lines.push(`Error: ${message.error}`);
  if (message.logTail) lines.push(`Last log lines of ${message.logTail.service}:`, message.logTail.lines);
  if (message.link) lines.push(`${message.link.label}: ${message.link.url}`);
  return lines.join('\n');
}
