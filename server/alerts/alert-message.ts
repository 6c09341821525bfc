/**
 * What an alert says, before any channel's format: a title, labelled facts (what, where, since when),
 * the error, the last log lines and a link. Each channel renders this one message its own way. Pure.
 */
import { type Alert, type LogTail, type Severity, severityOf } from './alert.js';
import type { BerthAlertEvent } from './github-alert-events.js';

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

/**
 * A link to put in a message: http(s) only, in its normalized form (spaces, quotes, `<` and `>`
 * percent-encoded), so a deployment status's `target_url` cannot close a Slack `<url|label>` link
 * and write markup after it. Anything else is no link.
 */
function linkTo(label: string, url: string | null): AlertMessage['link'] {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? { label, url: parsed.href } : undefined;
  } catch {
    return undefined;
  }
}

function fact(label: string, value: string | null | undefined): Fact[] {
  return value ? [{ label, value }] : [];
}

/** What a message says beyond its severity and log lines. */
type Body = Omit<AlertMessage, 'severity' | 'logTail'>;

type Of<K extends BerthAlertEvent['kind']> = Extract<BerthAlertEvent, { kind: K }>;

function checkMessage(alert: Alert, event: Of<'check_down' | 'check_recovered'>): Body {
  const { context } = alert;
  const check = fact('Check', `${event.check} (${event.checkType})`);
  if (event.kind === 'check_recovered')
    return {
      title: `Check ${event.check} is up again`,
      facts: [
        ...check,
        ...fact('Where', context.host),
        ...fact('Down for', `${formatDuration(event.downForMs)} (since ${formatTime(event.since)})`),
      ],
    };
  const still = context.reminder ? `still down after ${formatDuration(Date.parse(alert.createdAt) - Date.parse(event.since))}` : 'down';
  return {
    title: `Check ${event.check} is ${still}`,
    facts: [
      ...check,
      ...fact('Where', context.host),
      ...fact('Down since', formatTime(event.since)),
      ...fact('Live commit', context.liveCommit && short(context.liveCommit)),
    ],
    error: event.error,
  };
}

function backupMessage(alert: Alert, event: Of<'backup_failed' | 'backup_stale' | 'retention_failed'>): Body {
  const head = [...fact('Backup', event.backup), ...fact('Where', alert.context.host)];
  switch (event.kind) {
    case 'backup_failed':
      return {
        title: `Backup ${event.backup} failed`,
        facts: [...head, ...fact('At', formatTime(event.at)), ...fact('Run', event.runId)],
        error: event.error,
      };
    case 'backup_stale':
      return {
        title: `Backup ${event.backup} is stale`,
        facts: [
          ...head,
          ...fact('Newest good backup', event.lastGoodAt ? formatTime(event.lastGoodAt) : 'none'),
          ...fact('Expected one since', event.expectedSince && formatTime(event.expectedSince)),
        ],
      };
    case 'retention_failed':
      return {
        title: `Retention of backup ${event.backup} failed (the new backup is good)`,
        facts: [...head, ...fact('At', formatTime(event.at))],
        error: event.error,
      };
  }
}

function githubMessage(alert: Alert, event: Of<'deploy_failed' | 'workflow_failed'>): Body {
  const { context } = alert;
  if (event.kind === 'workflow_failed')
    return {
      title: `Workflow ${event.workflow} failed${event.branch ? ` on ${event.branch}` : ''}`,
      facts: [
        ...fact('Repository', event.repository),
        ...fact('Workflow', `${event.workflow} #${event.runNumber}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`),
        ...fact('Branch', event.branch),
        ...fact('Commit', short(event.sha)),
        ...fact('Conclusion', event.conclusion),
        ...fact('Triggered by', `${event.trigger}${event.actor ? ` (${event.actor})` : ''}`),
      ],
      link: linkTo('Open the run', event.url),
    };
  return {
    title: `Deploy to ${event.environment} failed`,
    facts: [
      ...fact('Repository', event.repository),
      ...fact('Environment', event.environment),
      ...fact('Commit', `${short(event.sha)}${event.ref && event.ref !== event.sha ? ` (${event.ref})` : ''}`),
      ...fact('Where', context.host),
      ...fact('Live commit', context.liveCommit && short(context.liveCommit)),
      ...fact('By', event.creator),
    ],
    error: context.releaseError ?? event.description ?? `deployment state ${event.state}`,
    link: linkTo('Open the run', event.url),
  };
}

/** The message of an alert: what, where, since when, the error, log lines, the live commit. */
export function alertMessage(alert: Alert): AlertMessage {
  const { event } = alert;
  const base = { severity: severityOf(event), logTail: alert.context.logTail };
  switch (event.kind) {
    case 'check_down':
    case 'check_recovered':
      return { ...base, ...checkMessage(alert, event) };
    case 'backup_failed':
    case 'backup_stale':
    case 'retention_failed':
      return { ...base, ...backupMessage(alert, event) };
    case 'deploy_failed':
    case 'workflow_failed':
      return { ...base, ...githubMessage(alert, event) };
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
