/**
 * Docker Compose command lines, for v2 (`docker compose`) and v1 (`docker-compose`).
 * Pure: each returns an argument list; the executor quotes it.
 */

export type ComposeFlavor = 'v2' | 'v1';

export interface ComposeProject {
  readonly flavor: ComposeFlavor;
  /** The app directory; commands run with it as working directory. */
  readonly path: string;
  /** Compose files relative to path (empty: Compose's own lookup). */
  readonly files: readonly string[];
  readonly projectName: string | undefined;
}

/**
 * Commands that tell which Compose the server has, tried in order. v1 is found on PATH
 * rather than run: starting its Python costs ~0.4 s.
 */
export const composeProbes: ReadonlyArray<{ flavor: ComposeFlavor; argv: string[] }> = [
  { flavor: 'v2', argv: ['docker', 'compose', 'version', '--short'] },
  { flavor: 'v1', argv: ['sh', '-c', 'command -v docker-compose'] },
];

/** The file names Compose looks for in the project folder when none are given (v1's order; v2 looks for the same four). */
export const COMPOSE_FILE_NAMES = ['docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml'] as const;
/** The override files Compose adds to the one it found. */
export const OVERRIDE_FILE_NAMES = [
  'docker-compose.override.yml',
  'docker-compose.override.yaml',
  'compose.override.yml',
  'compose.override.yaml',
] as const;

/**
 * In `readFiles`' output: the line before each file's text, the lines saying the environment sets
 * COMPOSE_FILE or COMPOSE_PROJECT_NAME, and the line naming the folder as the system resolves it.
 */
export const FILE_MARK = '#berth-file ';
export const ENV_LINE = '#berth-env COMPOSE_FILE';
export const NAME_ENV_LINE = '#berth-env COMPOSE_PROJECT_NAME';
export const DIR_MARK = '#berth-dir ';

const READ_FILES_SCRIPT = [
  `if [ -n "\${COMPOSE_FILE-}" ]; then echo '${ENV_LINE}'; fi`,
  `if [ -n "\${COMPOSE_PROJECT_NAME-}" ]; then echo '${NAME_ENV_LINE}'; fi`,
  `printf '${DIR_MARK}%s\\n' "$(pwd -P)"`,
  `for f; do if [ -f "$f" ]; then printf '${FILE_MARK}%s\\n' "$f"; cat -- "$f"; echo; fi; done`,
].join('\n');

function base(project: ComposeProject): string[] {
  const argv = project.flavor === 'v2' ? ['docker', 'compose'] : ['docker-compose'];
  for (const file of project.files) argv.push('--file', file);
  if (project.projectName) argv.push('--project-name', project.projectName);
  return argv;
}

export const composeCommands = {
  /** Pulls registry images; services built from source are skipped, not failed. */
  pull: (p: ComposeProject): string[] =>
    p.flavor === 'v2'
      ? [...base(p), 'pull', '--quiet', '--ignore-buildable', '--ignore-pull-failures']
      : [...base(p), 'pull', '--quiet', '--ignore-pull-failures'],
  /** Builds the services named (those without `build:` are skipped), all when none are. */
  build: (p: ComposeProject, services: readonly string[] = []): string[] => [...base(p), 'build', ...services],
  /**
   * Prints the project's Compose files that exist (each after a line `FILE_MARK name`): those given,
   * else every name Compose looks for, and `.env`; first `ENV_LINE` or `NAME_ENV_LINE` when the
   * environment sets COMPOSE_FILE or COMPOSE_PROJECT_NAME, and the folder with symbolic links resolved
   * (`DIR_MARK`), whose name Compose takes for the project's. Runs in the project folder; reads, starts no Compose.
   */
  readFiles: (p: ComposeProject): string[] => [
    'sh',
    '-c',
    READ_FILES_SCRIPT,
    'berth-read-compose',
    ...(p.files.length > 0 ? p.files : [...COMPOSE_FILE_NAMES, ...OVERRIDE_FILE_NAMES]),
    '.env',
  ],
  /** The project's config as Compose reads it: files merged, `.env` interpolated, paths absolute. */
  config: (p: ComposeProject): string[] => [...base(p), 'config'],
  /**
   * Starts the new version; no `down` first, so the running one serves until it is replaced.
   * `build: true` builds in the same Compose process (one start-up less than build, then up).
   */
  up: (p: ComposeProject, options: { build: boolean }): string[] => [
    ...base(p),
    'up',
    '--detach',
    '--remove-orphans',
    options.build ? '--build' : '--no-build',
  ],
  /** Starts (or updates) only the services named, none they depend on, from images already built. */
  upOnly: (p: ComposeProject, services: readonly string[]): string[] => [
    ...base(p),
    'up',
    '--detach',
    '--no-build',
    '--no-deps',
    ...services,
  ],
  /**
   * Starts one more container of `service` beside those running, which stay as they are: the new colour
   * of a blue-green deploy (`count` is how many there are then).
   */
  startBeside: (p: ComposeProject, service: string, count: number): string[] => [
    ...base(p),
    'up',
    '--detach',
    '--no-build',
    '--no-deps',
    '--no-recreate',
    '--scale',
    `${service}=${count}`,
    service,
  ],
  /**
   * Builds `service` (unless `build` is false: a rollback's kept images) and creates one more container
   * of it beside those running, without starting it (nothing runs until `docker start`): a blue-green
   * deploy's new colour, in one Compose start-up.
   */
  createBeside: (p: ComposeProject, service: string, count: number, build = true): string[] => [
    ...base(p),
    'up',
    '--no-start',
    build ? '--build' : '--no-build',
    '--no-deps',
    '--no-recreate',
    '--scale',
    `${service}=${count}`,
    service,
  ],
  /** Ids of every container of the project, stopped ones included. */
  ps: (p: ComposeProject): string[] => (p.flavor === 'v2' ? [...base(p), 'ps', '--all', '--quiet'] : [...base(p), 'ps', '--quiet']),
  /** The last `lines` lines of each container of the services (all when none), each line with its time. */
  logs: (p: ComposeProject, lines: number, services: readonly string[]): string[] => [
    ...base(p),
    'logs',
    '--no-color',
    '--timestamps',
    '--tail',
    String(lines),
    ...services,
  ],
  /** The project's service names, one per line, as its Compose files define them. */
  services: (p: ComposeProject): string[] => [...base(p), 'config', '--services'],
  restart: (p: ComposeProject, services: readonly string[]): string[] => [...base(p), 'restart', ...services],
  /**
   * Runs a command in a one-off container of the service: its image, environment, volumes and network,
   * no TTY (output streams through intact), removed when it ends (`--rm`). No `--no-deps`: the services
   * it depends on (its database) are started first when they do not run, as on a first deploy; running
   * ones are left as they are (v2 recreates one whose config changed, as the `up` after it would).
   * Its ports are not published, so it never takes the running service's.
   */
  run: (p: ComposeProject, service: string, argv: readonly string[]): string[] => [...base(p), 'run', '--rm', '-T', service, ...argv],
  /** Runs a command in a service's container with no TTY, so binary output streams through intact. */
  exec: (p: ComposeProject, service: string, argv: readonly string[]): string[] => [...base(p), 'exec', '-T', service, ...argv],
};

export const dockerCommands = {
  /** Ids of a project's containers (one-off `run` containers excluded): as compose ps, without starting Compose. */
  projectContainers: (project: string): string[] => [
    'docker',
    'ps',
    '--all',
    '--quiet',
    '--no-trunc',
    '--filter',
    `label=com.docker.compose.project=${project}`,
    '--filter',
    'label=com.docker.compose.oneoff=False',
  ],
  inspect: (ids: readonly string[]): string[] => ['docker', 'inspect', ...ids],
  /**
   * `projectContainers`, then `docker inspect` of those found, in one command (one round trip less per
   * look at the containers: a deploy looks a dozen times). Prints nothing when there are none; exits as
   * inspect does (non-zero when one was removed between the two).
   */
  inspectProject: (project: string): string[] => [
    'sh',
    '-c',
    'ids=$("$@") || exit; [ -z "$ids" ] || exec docker inspect $ids',
    'berth-containers',
    ...dockerCommands.projectContainers(project),
  ],
  /**
   * Runs a container's healthcheck command as Docker does (the container's user, environment
   * and working directory), ended after `timeoutSeconds` like Docker's own run would be.
   * Everything after the container id is the command's, never docker's options.
   */
  execHealthcheck: (container: string, argv: readonly string[], timeoutSeconds: number): string[] => [
    'timeout',
    '-s',
    'KILL',
    String(timeoutSeconds),
    'docker',
    'exec',
    container,
    ...argv,
  ],
  /**
   * Removes the project's dangling images only: Compose v2 labels the images it builds with
   * the project, so other projects' images on the host are never touched.
   */
  pruneProjectImages: (project: string): string[] => [
    'docker',
    'image',
    'prune',
    '--force',
    '--filter',
    `label=com.docker.compose.project=${project}`,
  ],
  tag: (image: string, target: string): string[] => ['docker', 'image', 'tag', image, target],
  imageExists: (image: string): string[] => ['docker', 'image', 'inspect', '--format', '{{.Id}}', image],
  /** The image's own healthcheck as JSON (`null` when it has none). */
  imageHealthcheck: (image: string): string[] => ['docker', 'image', 'inspect', '--format', '{{json .Config.Healthcheck}}', image],
  /**
   * Untags an image; when that was its last name and no container uses it, Docker deletes
   * it with the layers only it had. Images still named or used stay.
   */
  removeTag: (target: string): string[] => ['docker', 'image', 'rm', target],
  /** Local images whose name matches a reference pattern, as `repository:tag`. */
  listByReference: (pattern: string): string[] => [
    'docker',
    'image',
    'ls',
    '--format',
    '{{.Repository}}:{{.Tag}}',
    '--filter',
    `reference=${pattern}`,
  ],
};
