/** Container state from `docker inspect`, and the verdict on a project's containers. */

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
  readonly restartPolicy: string;
  /** The image name Compose asked for, and the id it ran. */
  readonly image: string;
  readonly imageId: string;
}

interface InspectJson {
  Id?: string;
  Name?: string;
  Image?: string;
  RestartCount?: number;
  State?: { Status?: string; ExitCode?: number; Health?: { Status?: string } };
  Config?: { Image?: string; Labels?: Record<string, string> };
  HostConfig?: { RestartPolicy?: { Name?: string } };
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
      restartPolicy: item.HostConfig?.RestartPolicy?.Name || 'no',
      image: item.Config?.Image ?? '',
      imageId: item.Image ?? '',
    }))
    .sort((a, b) => a.service.localeCompare(b.service) || a.name.localeCompare(b.name));
}

export type ContainersVerdict =
  | { readonly kind: 'healthy' }
  | { readonly kind: 'waiting'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string; readonly services: readonly string[] };

/**
 * Healthy when every container runs (not restarting) and passes its Docker healthcheck.
 * Exited, dead or unhealthy containers fail at once, so a broken release is rolled back
 * without waiting for the timeout. A container that exited 0 with restart policy "no"
 * is a finished one-shot job (a migration), not a failure.
 */
export function judgeContainers(containers: readonly ContainerState[]): ContainersVerdict {
  if (containers.length === 0) return { kind: 'waiting', reason: 'no containers yet' };
  const oneShotDone = (c: ContainerState): boolean => c.state === 'exited' && c.exitCode === 0 && c.restartPolicy === 'no';
  const broken = containers.filter((c) => ((c.state === 'exited' || c.state === 'dead') && !oneShotDone(c)) || c.health === 'unhealthy');
  if (broken.length > 0) {
    const reason = broken
      .map((c) => (c.health === 'unhealthy' ? `${c.service} is unhealthy` : `${c.service} ${c.state} with code ${c.exitCode}`))
      .join(', ');
    return { kind: 'failed', reason, services: [...new Set(broken.map((c) => c.service))] };
  }
  const pending = containers.filter(
    (c) => !oneShotDone(c) && (c.state !== 'running' || (c.health !== undefined && c.health !== 'healthy')),
  );
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
