/** Container state from `docker inspect`, and the verdict on a project's containers. */
import { type Healthcheck, healthcheckArgv } from './own-healthcheck.js';

export interface ContainerState {
  readonly id: string;
  readonly name: string;
  readonly service: string;
  /** The Compose project the container belongs to. */
  readonly project: string;
  /** created, running, restarting, exited, paused, dead */
  readonly state: string;
  /** healthy, unhealthy, starting; undefined when the image defines no healthcheck. */
  readonly health: string | undefined;
  readonly exitCode: number;
  readonly restartCount: number;
  /** When its last run ended (server clock, ms since the epoch); undefined if it never ended. */
  readonly lastExitMs: number | undefined;
  readonly restartPolicy: string;
  /** The image name Compose asked for, and the id it ran. */
  readonly image: string;
  readonly imageId: string;
  /** The healthcheck Docker runs in it (the image's, with Compose's overrides), if any. */
  readonly healthcheck: Healthcheck | undefined;
}

interface InspectJson {
  Id?: string;
  Name?: string;
  Image?: string;
  RestartCount?: number;
  State?: { Status?: string; ExitCode?: number; FinishedAt?: string; Health?: { Status?: string } };
  Config?: {
    Image?: string;
    Labels?: Record<string, string>;
    Shell?: string[] | null;
    Healthcheck?: { Test?: string[] | null; Timeout?: number } | null;
  };
  HostConfig?: { RestartPolicy?: { Name?: string } };
}

/** Docker's healthcheck timeout when none is set. */
const DEFAULT_HEALTHCHECK_TIMEOUT_MS = 30_000;

function healthcheckOf(config: InspectJson['Config']): Healthcheck | undefined {
  const argv = healthcheckArgv(config?.Healthcheck?.Test ?? undefined, config?.Shell ?? undefined);
  if (!argv) return undefined;
  const timeoutNs = config?.Healthcheck?.Timeout ?? 0;
  return { argv, timeoutMs: timeoutNs > 0 ? Math.round(timeoutNs / 1e6) : DEFAULT_HEALTHCHECK_TIMEOUT_MS };
}

/** Docker's RFC 3339 times; its zero time (year 1) means never. */
function timeMs(text: string | undefined): number | undefined {
  const ms = text ? Date.parse(text) : NaN;
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** Parses `docker inspect` output (a JSON array). */
export function parseInspect(json: string): ContainerState[] {
  const items = JSON.parse(json) as InspectJson[];
  return items
    .map((item) => ({
      id: (item.Id ?? '').slice(0, 12),
      name: (item.Name ?? '').replace(/^\//, ''),
      service: item.Config?.Labels?.['com.docker.compose.service'] ?? (item.Name ?? '').replace(/^\//, ''),
      project: item.Config?.Labels?.['com.docker.compose.project'] ?? '',
      state: item.State?.Status ?? 'unknown',
      health: item.State?.Health?.Status,
      exitCode: item.State?.ExitCode ?? 0,
      restartCount: item.RestartCount ?? 0,
      lastExitMs: timeMs(item.State?.FinishedAt),
      restartPolicy: item.HostConfig?.RestartPolicy?.Name || 'no',
      image: item.Config?.Image ?? '',
      imageId: item.Image ?? '',
      healthcheck: healthcheckOf(item.Config),
    }))
    .sort((a, b) => a.service.localeCompare(b.service) || a.name.localeCompare(b.name));
}

export type ContainersVerdict =
  | { readonly kind: 'healthy' }
  | { readonly kind: 'waiting'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string; readonly services: readonly string[] };

/** What berth saw across a health check's wait, beyond one `docker inspect`. */
export interface WaitEvidence {
  /** Each container's restart count when the wait first saw it, by container id. */
  readonly restartsAtStart?: ReadonlyMap<string, number>;
  /**
   * Server time (ms) from which an exit counts as recent: a container Docker had already
   * restarted when the wait first saw it, whose last exit is this recent, is in a restart loop.
   */
  readonly recentExitSinceMs?: number;
  /** Containers Docker still calls `starting` whose healthcheck berth ran itself and saw pass. */
  readonly passedOwnCheck?: ReadonlySet<string>;
}

const oneShotDone = (c: ContainerState): boolean => c.state === 'exited' && c.exitCode === 0 && c.restartPolicy === 'no';

/** Why a container fails the health check for good, or undefined when it does not. */
function brokenReason(c: ContainerState, evidence: WaitEvidence): string | undefined {
  if (c.state === 'exited' && !oneShotDone(c)) return `${c.service} exited with code ${c.exitCode}`;
  if (c.state === 'dead') return `${c.service} is dead (exit code ${c.exitCode})`;
  if (c.state === 'restarting') return `${c.service} is in a restart loop (exited with code ${c.exitCode}, ${c.restartCount} restarts)`;
  const restarts = c.restartCount - (evidence.restartsAtStart?.get(c.id) ?? c.restartCount);
  if (restarts > 0) return `${c.service} restarted ${restarts === 1 ? 'once' : `${restarts} times`} during the health check`;
  const since = evidence.recentExitSinceMs;
  if (c.restartCount > 0 && since !== undefined && c.lastExitMs !== undefined && c.lastExitMs >= since) {
    return `${c.service} is in a restart loop (${c.restartCount} restarts, the last just before the health check)`;
  }
  if (c.health === 'unhealthy') return `${c.service} is unhealthy`;
  return undefined;
}

/**
 * Healthy when every container runs (not restarting) and passes its healthcheck: Docker's
 * verdict, or berth's own run of the same check while Docker still says `starting` (Docker
 * runs its first check one interval after start). Exited, dead, unhealthy containers and
 * ones that restarted during the wait fail at once, so a broken release is rolled back
 * without waiting for the timeout. A container that exited 0 with restart policy "no" is a
 * finished one-shot job (a migration), not a failure.
 */
export function judgeContainers(containers: readonly ContainerState[], evidence: WaitEvidence = {}): ContainersVerdict {
  if (containers.length === 0) return { kind: 'waiting', reason: 'no containers yet' };
  const broken = containers.flatMap((c) => {
    const reason = brokenReason(c, evidence);
    return reason ? [{ service: c.service, reason }] : [];
  });
  if (broken.length > 0) {
    return { kind: 'failed', reason: broken.map((b) => b.reason).join(', '), services: [...new Set(broken.map((b) => b.service))] };
  }
  const ready = (c: ContainerState): boolean =>
    oneShotDone(c) ||
    (c.state === 'running' && (c.health === undefined || c.health === 'healthy' || (evidence.passedOwnCheck?.has(c.id) ?? false)));
  const pending = containers.filter((c) => !ready(c));
  if (pending.length > 0) {
    return {
      kind: 'waiting',
      reason: pending.map((c) => `${c.service} is ${c.health && c.state === 'running' ? c.health : c.state}`).join(', '),
    };
  }
  return { kind: 'healthy' };
}

/** The `services` output: each service's state and health. */
export function servicesSummary(
  containers: readonly ContainerState[],
): Record<string, { state: string; health: string | null; image: string }> {
  const summary: Record<string, { state: string; health: string | null; image: string }> = {};
  for (const c of containers) summary[c.service] = { state: c.state, health: c.health ?? null, image: c.image };
  return summary;
}
