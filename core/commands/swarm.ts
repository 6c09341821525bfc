/**
 * Docker Swarm command lines: the node's swarm state, `docker stack deploy`, the stack's
 * services and tasks, service logs and forced updates, image pushes.
 * Pure: each returns an argument list; the executor quotes it. Scripts are constants taking "$1".
 */

/** The label `docker stack deploy` puts on every service of a stack. */
export const STACK_LABEL = 'com.docker.stack.namespace';

/** Markers between the sections of the stack state script's output. */
export const STATE_SECTIONS = { services: '#berth-services', tasks: '#berth-tasks', upToDate: '#berth-up-to-date' } as const;

/**
 * Prints a stack's services and tasks as JSON lines, then the ids of the tasks that run each
 * service's current spec (the `_up-to-date` filter the docker CLI itself waits with), in one
 * round trip. Prints nothing when the stack has no services.
 */
const STACK_STATE_SCRIPT = [
  `ids=$(docker service ls --quiet --filter "label=${STACK_LABEL}=$1") || exit`,
  '[ -n "$ids" ] || exit 0',
  `echo '${STATE_SECTIONS.services}'`,
  "docker service inspect --format '{{json .}}' $ids || exit",
  `echo '${STATE_SECTIONS.tasks}'`,
  'tasks=$(docker service ps --quiet --no-trunc $ids) || exit',
  // Swarm trims task history: a task listed a moment ago may be gone; inspect still prints the others.
  '[ -z "$tasks" ] || docker inspect --type task --format \'{{json .}}\' $tasks 2>/dev/null || :',
  `echo '${STATE_SECTIONS.upToDate}'`,
  'docker service ps --quiet --no-trunc --filter _up-to-date=true $ids',
].join('\n');

export interface StackDeployOptions {
  /**
   * Ask the registry for each image's digest, so every node runs the same image. Off when the
   * images were built on this node and pushed nowhere: there is no registry to ask.
   */
  readonly resolveImages: boolean;
}

/** A stack's service name for one of its Compose services. */
export function stackServiceName(stack: string, service: string): string {
  return `${stack}_${service}`;
}

export const swarmCommands = {
  /** This node's swarm membership as JSON: `LocalNodeState` (active, inactive…) and `ControlAvailable` (a manager). */
  nodeState: (): string[] => ['docker', 'info', '--format', '{{json .Swarm}}'],
  /**
   * Deploys or updates the stack from a rendered file; services no longer in it are removed.
   * Detached: berth reads every service's update state itself, since `stack deploy` exits 0
   * even when Swarm rolled an update back (docker/cli#6752), and waits under its own deadline.
   */
  deploy: (file: string, stack: string, options: StackDeployOptions): string[] => [
    'docker',
    'stack',
    'deploy',
    '--compose-file',
    file,
    '--prune',
    '--with-registry-auth',
    '--resolve-image',
    options.resolveImages ? 'always' : 'never',
    stack,
  ],
  /** The stack's services, tasks and up-to-date task ids; parsed by `parseStackState`. */
  state: (stack: string): string[] => ['sh', '-c', STACK_STATE_SCRIPT, 'berth-stack-state', stack],
  /** The last lines of each task of a service, with timestamps. */
  logs: (stack: string, service: string, lines: number): string[] => [
    'docker',
    'service',
    'logs',
    '--timestamps',
    '--no-trunc',
    '--tail',
    String(lines),
    stackServiceName(stack, service),
  ],
  /** Replaces a service's tasks with new ones of the same spec (`restart`); berth waits for convergence itself. */
  forceUpdate: (stack: string, service: string): string[] => [
    'docker',
    'service',
    'update',
    '--force',
    '--detach',
    '--quiet',
    stackServiceName(stack, service),
  ],
  /** Pushes a built image so the other nodes can pull it. */
  push: (image: string): string[] => ['docker', 'image', 'push', image],
};
