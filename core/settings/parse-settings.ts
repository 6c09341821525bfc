/**
 * Turns raw input strings (action inputs, CLI flags, environment) into Settings, before
 * anything connects. Every problem is reported at once, each naming the input.
 */
import { InputError } from '../errors.js';
import { normaliseFingerprint } from '../ssh/host-key.js';
import { type KnownHostEntry, parseKnownHosts } from '../ssh/known-hosts.js';
import { parsePrivateKey } from '../ssh/private-key.js';
import { type HostKeyCheck, SSH_DEFAULTS, type SshEndpoint } from '../ssh/ssh-settings.js';
import { COMMANDS, type Command, type InputName, Inputs, ORCHESTRATORS } from './input-names.js';
import { type HostOverrides, hostSettingName, parseHostList } from './host-list.js';
import { hostTargets } from './host-targets.js';
import type { OrchestratorSettings, Settings } from './settings.js';
import { parseMigrateCommand, parseStrategy, parseWebService } from './strategy.js';
import * as v from './validators.js';

/** The longest `timeout`: a week, longer than any runner lets a job live. */
const MAX_TIMEOUT_SECONDS = 604_800;

/** Reads one input by name; returns '' when it is not set. */
export type InputSource = (name: InputName) => string;

/** The defaults of action.yml, applied when an input is empty. */
export const DEFAULTS: Partial<Record<InputName, string>> = {
  [Inputs.command]: 'deploy',
  [Inputs.orchestrator]: 'compose',
  [Inputs.strategy]: 'recreate',
  [Inputs.port]: '22',
  [Inputs.insecureSkipHostKeyCheck]: 'false',
  [Inputs.healthTimeout]: '120',
  [Inputs.rollbackOnFailure]: 'true',
  [Inputs.logLines]: '100',
  [Inputs.lockTimeout]: '600',
  [Inputs.parallel]: '1',
  [Inputs.timeout]: '1800',
  [Inputs.environment]: 'production',
};

export interface ParseContext {
  /** The workflow's commit (GITHUB_SHA), deployed when `ref` is empty. */
  readonly defaultRef?: string | undefined;
  /**
   * What started the run: GitHub's event name (GITHUB_EVENT_NAME) for the action; undefined for the
   * CLI. A deploy started by a `push` is a push deploy; every other one deploys what it is told.
   */
  readonly event?: string | undefined;
}

function hostKeyCheck(
  p: v.Problems,
  knownHostsName: InputName,
  knownHostsText: string,
  fingerprintsText: string,
  insecure: boolean,
): HostKeyCheck {
  if (insecure) return { mode: 'insecure-skip' };
  let knownHosts: KnownHostEntry[] = [];
  try {
    knownHosts = parseKnownHosts(knownHostsText, `input '${knownHostsName}'`);
  } catch (error) {
    p.list.push((error as Error).message);
  }
  const fingerprints: string[] = [];
  for (const line of v.lines(fingerprintsText)) {
    const fp = normaliseFingerprint(line);
    if (fp) fingerprints.push(fp);
    else p.add(Inputs.hostFingerprint, `${v.show(line)} is not a SHA256 fingerprint`, 'the `SHA256:…` value `ssh-keygen -lf` prints');
  }
  return { mode: 'verify', knownHosts, fingerprints };
}

function checkKey(p: v.Problems, name: InputName, key: string, passphrase: string | undefined): void {
  try {
    parsePrivateKey(key, passphrase, `input '${name}'`);
  } catch (error) {
    p.list.push((error as Error).message);
  }
}

/** Compose, or a Swarm stack named by `project-name` (default: the folder name) with an optional registry. */
function orchestratorSettings(
  p: v.Problems,
  get: (name: InputName) => string,
  path: string | undefined,
  projectName: string | undefined,
): OrchestratorSettings | undefined {
  const kind = get(Inputs.orchestrator);
  const registryText = get(Inputs.registry);
  if (kind === 'compose') {
    if (registryText)
      p.add(Inputs.registry, `it is set but ${Inputs.orchestrator} is compose`, `'${Inputs.orchestrator}: swarm', or no registry`);
    return { kind };
  }
  if (kind !== 'swarm') {
    return p.add(
      Inputs.orchestrator,
      `${v.show(kind)} is not an orchestrator berth drives`,
      `one of ${ORCHESTRATORS.join(', ')} (compose: Docker Compose on the host; swarm: a Docker Swarm stack)`,
    );
  }
  const registry = registryText ? v.registry(p, Inputs.registry, registryText) : undefined;
  const stack = projectName ?? (path ? v.stackNameFromPath(p, Inputs.projectName, path) : undefined);
  return stack ? { kind, stack, registry } : undefined;
}

/** Reads inputs: `get` trimmed with action.yml's default, `raw` (secrets and keys) exactly as given or undefined. */
interface Readers {
  readonly read: InputSource;
  readonly get: (name: InputName) => string;
  readonly raw: (name: InputName) => string | undefined;
}

function readers(read: InputSource): Readers {
  return {
    read,
    get: (name) => {
      const value = read(name).trim();
      return value === '' ? (DEFAULTS[name] ?? '') : value;
    },
    raw: (name) => {
      const value = read(name);
      return value.trim() === '' ? undefined : value;
    },
  };
}

/** The hosts, and the rule that an input a host line may set is required unless every host line sets it. */
function parseHosts(p: v.Problems, { get }: Readers) {
  const port = v.integer(p, Inputs.port, get(Inputs.port), 1, 65535);
  const hostText = get(Inputs.host);
  const lines = hostText ? parseHostList(p, hostText, port) : [];
  if (!hostText) p.missing(Inputs.host, 'the server address (or several: one per line, or separated by commas)');
  const unlessEveryHost = (key: keyof HostOverrides, name: InputName, expected: string): undefined =>
    lines.length > 0 && lines.every((line) => line.overrides[key] !== undefined) ? undefined : p.missing(name, expected);
  const userText = get(Inputs.username);
  const username = userText ? v.username(p, Inputs.username, userText) : unlessEveryHost('username', Inputs.username, 'the SSH user');
  return { port, lines, username, unlessEveryHost };
}

/** The key or password, and how host keys are verified. */
function parseCredentials(p: v.Problems, { get, raw }: Readers) {
  const privateKey = raw(Inputs.privateKey);
  const passphrase = raw(Inputs.passphrase);
  const password = raw(Inputs.password);
  if (privateKey === undefined && password === undefined) {
    p.list.push(
      `Missing input '${Inputs.privateKey}' or '${Inputs.password}': one is required. Expected the private key text (OpenSSH or PEM) or a password.`,
    );
  }
  if (privateKey !== undefined) checkKey(p, Inputs.privateKey, privateKey, passphrase);
  const insecure = v.boolean(p, Inputs.insecureSkipHostKeyCheck, get(Inputs.insecureSkipHostKeyCheck)) ?? false;
  const knownHostsText = raw(Inputs.knownHosts) ?? '';
  const fingerprintText = get(Inputs.hostFingerprint);
  if (!insecure && !knownHostsText.trim() && !fingerprintText) {
    p.list.push(
      `Missing input '${Inputs.knownHosts}' or '${Inputs.hostFingerprint}': berth does not connect to a server it cannot verify. Expected the lines \`ssh-keyscan -p PORT HOST\` prints, or a SHA256:… fingerprint (or set ${Inputs.insecureSkipHostKeyCheck}: true to skip the check, which is unsafe).`,
    );
  }
  const hostKey = hostKeyCheck(p, Inputs.knownHosts, knownHostsText, fingerprintText, insecure);
  return { privateKey, passphrase, password, insecure, knownHostsText, hostKey };
}

/** The jump host (`proxy-*`), which takes the host's user and credentials unless given its own. */
function parseJump(
  p: v.Problems,
  { get, raw }: Readers,
  username: string | undefined,
  credentials: ReturnType<typeof parseCredentials>,
): SshEndpoint | undefined {
  const proxyHostText = get(Inputs.proxyHost);
  if (!proxyHostText) {
    for (const name of [Inputs.proxyPort, Inputs.proxyUsername, Inputs.proxyPrivateKey, Inputs.proxyKnownHosts] as const) {
      if (raw(name) !== undefined) p.add(name, 'it is set but proxy-host is empty', `'${Inputs.proxyHost}' to be set too`);
    }
    return undefined;
  }
  const { privateKey, passphrase, password, insecure, knownHostsText } = credentials;
  const proxyHost = v.host(p, Inputs.proxyHost, proxyHostText);
  const proxyPort = v.integer(p, Inputs.proxyPort, get(Inputs.proxyPort) || '22', 1, 65535);
  const proxyUser = get(Inputs.proxyUsername) ? v.username(p, Inputs.proxyUsername, get(Inputs.proxyUsername)) : username;
  const proxyKey = raw(Inputs.proxyPrivateKey);
  if (proxyKey !== undefined) checkKey(p, Inputs.proxyPrivateKey, proxyKey, undefined);
  // The jump host is checked against its own lines, or against known-hosts when it lists both hosts.
  const proxyKnownHosts = raw(Inputs.proxyKnownHosts) ?? knownHostsText;
  const hostKey = insecure
    ? hostKeyCheck(p, Inputs.proxyKnownHosts, '', '', true)
    : hostKeyCheck(p, Inputs.proxyKnownHosts, proxyKnownHosts, '', false);
  if (!proxyHost || !proxyPort || !proxyUser) return undefined;
  return {
    host: proxyHost,
    port: proxyPort,
    username: proxyUser,
    privateKey: proxyKey ?? privateKey,
    passphrase: proxyKey ? undefined : passphrase,
    password: proxyKey ? undefined : password,
    hostKey,
  };
}

/** The app on the server: its checkout, the commit to deploy, its Compose files, project and services. */
function parseApp(
  p: v.Problems,
  { get, read }: Readers,
  command: Command | undefined,
  context: ParseContext,
  unlessEveryHost: ReturnType<typeof parseHosts>['unlessEveryHost'],
) {
  const pathText = get(Inputs.path);
  const path = pathText
    ? v.absolutePath(p, Inputs.path, pathText)
    : unlessEveryHost('path', Inputs.path, "the absolute path of the app's git checkout on the server");
  const refText = get(Inputs.ref);
  let ref = refText ? v.gitRef(p, Inputs.ref, refText) : undefined;
  if (command === 'deploy' && ref === undefined && !refText) {
    ref = context.defaultRef
      ? v.gitRef(p, 'GITHUB_SHA', context.defaultRef)
      : p.missing(Inputs.ref, 'a commit to deploy (it defaults to the workflow commit, GITHUB_SHA, which is not set here)');
  }
  const composeFiles = v.lines(read(Inputs.composeFiles)).map((file) => v.relativePath(p, Inputs.composeFiles, file) ?? file);
  const projectText = get(Inputs.projectName);
  const projectName = projectText ? v.projectName(p, Inputs.projectName, projectText) : undefined;
  const services = v.serviceNames(p, Inputs.services, read(Inputs.services));
  return { path, ref, composeFiles, projectName, services };
}

/** Health, rollback, logs and the run's limits. */
function parseLimits(p: v.Problems, { get }: Readers) {
  const healthText = get(Inputs.healthUrl);
  const environmentUrlText = get(Inputs.environmentUrl);
  return {
    parallel: v.integer(p, Inputs.parallel, get(Inputs.parallel), 1, 1000),
    healthUrl: healthText ? v.httpUrl(p, Inputs.healthUrl, healthText) : undefined,
    healthTimeout: v.integer(p, Inputs.healthTimeout, get(Inputs.healthTimeout), 1, 3600),
    rollbackOnFailure: v.boolean(p, Inputs.rollbackOnFailure, get(Inputs.rollbackOnFailure)),
    logLines: v.integer(p, Inputs.logLines, get(Inputs.logLines), 1, 100_000),
    lockTimeout: v.integer(p, Inputs.lockTimeout, get(Inputs.lockTimeout), 0, 86_400),
    timeout: v.integer(p, Inputs.timeout, get(Inputs.timeout), 1, MAX_TIMEOUT_SECONDS),
    environmentUrl: environmentUrlText ? v.httpUrl(p, Inputs.environmentUrl, environmentUrlText) : undefined,
  };
}

function parseCommand(p: v.Problems, { get }: Readers): Command | undefined {
  const commandText = get(Inputs.command);
  return (COMMANDS as readonly string[]).includes(commandText)
    ? (commandText as Command)
    : p.add(Inputs.command, `${v.show(commandText)} is not a command`, `one of ${COMMANDS.join(', ')}`);
}

/** Swarm deploys one stack from one manager node. */
function checkSwarmHosts(p: v.Problems, orchestrator: OrchestratorSettings | undefined, hostCount: number): void {
  if (orchestrator?.kind !== 'swarm' || hostCount <= 1) return;
  p.add(
    Inputs.host,
    `it names ${hostCount} hosts but ${Inputs.orchestrator} is swarm`,
    'one manager node of the swarm: Swarm itself spreads the stack over its nodes',
  );
}

const NOTHING_RUN = 'Nothing was run: fix the inputs above and run again.';

/** Parses and validates every input. Throws one InputError listing all problems. */
export function parseSettings(read: InputSource, context: ParseContext = {}): Settings {
  const r = readers(read);
  const p = new v.Problems();
  const command = parseCommand(p, r);
  const hosts = parseHosts(p, r);
  const credentials = parseCredentials(p, r);
  const jump = parseJump(p, r, hosts.username ?? hosts.lines[0]?.overrides.username, credentials);
  const app = parseApp(p, r, command, context, hosts.unlessEveryHost);
  const first = hosts.lines[0]?.overrides;
  const orchestrator = orchestratorSettings(p, r.get, first?.path ?? app.path, first?.projectName ?? app.projectName);
  checkSwarmHosts(p, orchestrator, hosts.lines.length);
  const limits = parseLimits(p, r);
  const healthUrls = [
    { name: Inputs.healthUrl, url: limits.healthUrl },
    ...hosts.lines.map(({ line, overrides }) => ({ name: hostSettingName(line, Inputs.healthUrl), url: overrides.healthUrl })),
  ];
  const strategy = parseStrategy(p, r.get, orchestrator, healthUrls);
  const migrateCommand = parseMigrateCommand(p, r.get(Inputs.migrateCommand), orchestrator);
  const webService = parseWebService(p, r.get(Inputs.webService));
  const { parallel, healthTimeout, rollbackOnFailure, logLines, lockTimeout, timeout } = limits;
  if (
    p.list.length > 0 ||
    !command ||
    !hosts.port ||
    !orchestrator ||
    !strategy ||
    !parallel ||
    healthTimeout === undefined ||
    rollbackOnFailure === undefined ||
    !logLines ||
    lockTimeout === undefined ||
    timeout === undefined
  ) {
    throw new InputError(p.list.join('\n'), NOTHING_RUN);
  }
  const targets = hostTargets(hosts.lines, {
    ssh: {
      username: hosts.username,
      privateKey: credentials.privateKey,
      passphrase: credentials.passphrase,
      password: credentials.password,
      hostKey: credentials.hostKey,
      jump,
      connectTimeoutMs: SSH_DEFAULTS.connectTimeoutMs,
      connectRetries: SSH_DEFAULTS.connectRetries,
      keepaliveIntervalMs: SSH_DEFAULTS.keepaliveIntervalMs,
    },
    app: { path: app.path, composeFiles: app.composeFiles, projectName: app.projectName, services: app.services },
    health: { url: limits.healthUrl, timeoutMs: healthTimeout * 1000 },
  });
  const [one] = targets;
  if (!one) throw new InputError(p.list.join('\n'), NOTHING_RUN);
  return {
    command,
    ssh: one.ssh,
    app: one.app,
    orchestrator,
    strategy,
    migrateCommand,
    webService,
    hosts: targets,
    parallel,
    ref: app.ref,
    lintCommand: r.get(Inputs.lintCommand) || undefined,
    health: one.health,
    rollbackOnFailure,
    logLines,
    lockTimeoutMs: lockTimeout * 1000,
    timeoutMs: timeout * 1000,
    trigger: command === 'deploy' && context.event === 'push' ? 'push' : 'manual',
    github: { token: r.raw(Inputs.githubToken), environment: r.get(Inputs.environment), environmentUrl: limits.environmentUrl },
  };
}
