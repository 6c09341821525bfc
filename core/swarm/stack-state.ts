/** A stack's services and tasks as `docker service inspect` and `docker inspect --type task` print them. Pure. */
import { STACK_LABEL, STATE_SECTIONS } from '../commands/swarm.js';

export interface SwarmService {
  readonly id: string;
  /** The Compose service name (the stack's service name without `<stack>_`). */
  readonly service: string;
  /** The image the spec names, without the digest `stack deploy` may pin. */
  readonly image: string;
  /** Desired tasks: the replica count, or undefined for a global service (one per eligible node). */
  readonly replicas: number | undefined;
  readonly hasHealthcheck: boolean;
  /** Swarm's update state: undefined for a service never updated (or whose update has not begun). */
  readonly updateState: string | undefined;
  readonly updateMessage: string | undefined;
  /** When the current update began (ms since the epoch, the server's clock). */
  readonly updateStartedAt: number | undefined;
  /** When the spec last changed: every `stack deploy` updates each service. */
  readonly updatedAt: number;
}

export interface SwarmTask {
  readonly id: string;
  readonly serviceId: string;
  /** new, pending, assigned, accepted, preparing, ready, starting, running, complete, failed, shutdown, rejected, orphaned, remove */
  readonly state: string;
  readonly desiredState: string;
  /** Why the task failed or was rejected, as Swarm says it. */
  readonly error: string | undefined;
  readonly exitCode: number | undefined;
  /** When the task reached its state (ms since the epoch, the server's clock). */
  readonly at: number;
  readonly image: string;
  /** Whether it runs its service's current spec. */
  readonly upToDate: boolean;
}

export interface StackState {
  readonly services: readonly SwarmService[];
  readonly tasks: readonly SwarmTask[];
}

interface ServiceJson {
  ID?: string;
  UpdatedAt?: string;
  Spec?: {
    Name?: string;
    Labels?: Record<string, string>;
    Mode?: { Replicated?: { Replicas?: number }; Global?: object };
    TaskTemplate?: { ContainerSpec?: { Image?: string; Healthcheck?: { Test?: string[] } } };
  };
  UpdateStatus?: { State?: string; Message?: string; StartedAt?: string } | null;
}

interface TaskJson {
  ID?: string;
  ServiceID?: string;
  DesiredState?: string;
  Status?: { State?: string; Err?: string; Timestamp?: string; ContainerStatus?: { ExitCode?: number } };
  Spec?: { ContainerSpec?: { Image?: string } };
}

const time = (iso: string | undefined): number => (iso ? Date.parse(iso) : Number.NaN);
const withoutDigest = (image: string): string => image.split('@')[0] ?? image;

function parseService(json: ServiceJson, stack: string): SwarmService {
  const spec = json.Spec ?? {};
  const name = spec.Name ?? '';
  const namespace = spec.Labels?.[STACK_LABEL] ?? stack;
  const test = spec.TaskTemplate?.ContainerSpec?.Healthcheck?.Test;
  const update = json.UpdateStatus ?? undefined;
  return {
    id: json.ID ?? '',
    service: name.startsWith(`${namespace}_`) ? name.slice(namespace.length + 1) : name,
    image: withoutDigest(spec.TaskTemplate?.ContainerSpec?.Image ?? ''),
    replicas: spec.Mode?.Global ? undefined : (spec.Mode?.Replicated?.Replicas ?? 1),
    // ["NONE"] turns off a healthcheck the image defines; an absent test inherits the image's.
    hasHealthcheck: test !== undefined && test.length > 0 && test[0] !== 'NONE',
    updateState: update?.State || undefined,
    updateMessage: update?.Message || undefined,
    updateStartedAt: update?.StartedAt ? time(update.StartedAt) : undefined,
    updatedAt: time(json.UpdatedAt),
  };
}

function parseTask(json: TaskJson, upToDate: ReadonlySet<string>): SwarmTask {
  const status = json.Status ?? {};
  return {
    id: json.ID ?? '',
    serviceId: json.ServiceID ?? '',
    state: status.State ?? 'unknown',
    desiredState: json.DesiredState ?? 'unknown',
    error: status.Err || undefined,
    exitCode: status.ContainerStatus?.ExitCode,
    at: time(status.Timestamp),
    image: withoutDigest(json.Spec?.ContainerSpec?.Image ?? ''),
    upToDate: upToDate.has(json.ID ?? ''),
  };
}

/** Splits the state script's output into its sections' lines. */
function sections(text: string): Record<keyof typeof STATE_SECTIONS, string[]> {
  const found = { services: [] as string[], tasks: [] as string[], upToDate: [] as string[] };
  let current: string[] | undefined;
  const byMarker = new Map<string, string[]>(
    Object.entries(STATE_SECTIONS).map(([key, marker]) => [marker, found[key as keyof typeof found]]),
  );
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (!line) continue;
    if (byMarker.has(line)) current = byMarker.get(line);
    else current?.push(line);
  }
  return found;
}

/** Parses `swarmCommands.state` output; an empty output is a stack with no services. */
export function parseStackState(text: string, stack: string): StackState {
  const lines = sections(text);
  const upToDate = new Set(lines.upToDate);
  const services = lines.services
    .map((line) => parseService(JSON.parse(line) as ServiceJson, stack))
    .sort((a, b) => a.service.localeCompare(b.service));
  const tasks = lines.tasks.map((line) => parseTask(JSON.parse(line) as TaskJson, upToDate)).sort((a, b) => b.at - a.at);
  return { services, tasks };
}

/** A service's tasks, newest first. */
export function tasksOf(state: StackState, service: SwarmService): SwarmTask[] {
  return state.tasks.filter((t) => t.serviceId === service.id);
}
