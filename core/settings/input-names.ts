/** The action's input and output names: a public contract (action.yml), also the CLI's flag names. */
export const Inputs = {
  command: 'command',
  host: 'host',
  port: 'port',
  username: 'username',
  privateKey: 'private-key',
  passphrase: 'passphrase',
  password: 'password',
  knownHosts: 'known-hosts',
  hostFingerprint: 'host-fingerprint',
  insecureSkipHostKeyCheck: 'insecure-skip-host-key-check',
  proxyHost: 'proxy-host',
  proxyPort: 'proxy-port',
  proxyUsername: 'proxy-username',
  proxyPrivateKey: 'proxy-private-key',
  proxyKnownHosts: 'proxy-known-hosts',
  path: 'path',
  ref: 'ref',
  composeFiles: 'compose-files',
  projectName: 'project-name',
  orchestrator: 'orchestrator',
  registry: 'registry',
  services: 'services',
  strategy: 'strategy',
  publicPort: 'public-port',
  webService: 'web-service',
  colourPorts: 'colour-ports',
  proxyImage: 'proxy-image',
  migrateCommand: 'migrate-command',
  lintCommand: 'lint-command',
  healthUrl: 'health-url',
  healthTimeout: 'health-timeout',
  rollbackOnFailure: 'rollback-on-failure',
  logLines: 'log-lines',
  lockTimeout: 'lock-timeout',
  parallel: 'parallel',
  timeout: 'timeout',
  githubToken: 'github-token',
  environment: 'environment',
  environmentUrl: 'environment-url',
} as const;

export type InputName = (typeof Inputs)[keyof typeof Inputs];

/** Inputs whose values are secrets: masked in logs, never printed. */
export const SECRET_INPUTS: readonly InputName[] = [
  Inputs.privateKey,
  Inputs.passphrase,
  Inputs.password,
  Inputs.proxyPrivateKey,
  Inputs.githubToken,
];

/** URL inputs whose password (`https://user:password@host`) is a secret: masked, and redacted wherever the URL is shown. */
export const URL_INPUTS: readonly InputName[] = [Inputs.healthUrl, Inputs.environmentUrl];

export const Outputs = {
  status: 'status',
  releaseId: 'release-id',
  deployedRef: 'deployed-ref',
  previousRef: 'previous-ref',
  services: 'services',
  hosts: 'hosts',
} as const;

export const COMMANDS = ['deploy', 'rollback', 'restart', 'logs', 'status'] as const;

/** What runs the app: Docker Compose on the host, or a Docker Swarm stack deployed from a manager node. */
export const ORCHESTRATORS = ['compose', 'swarm'] as const;
/** How a deploy replaces the running version: in place (Compose's `up`), or beside it behind a proxy. */
export const STRATEGIES = ['recreate', 'blue-green'] as const;
export type StrategyKind = (typeof STRATEGIES)[number];
export type OrchestratorKind = (typeof ORCHESTRATORS)[number];
export type Command = (typeof COMMANDS)[number];
