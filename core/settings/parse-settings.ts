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
import { type HostOverrides, parseHostList } from './host-list.js';
import { hostTargets } from './host-targets.js';
import type { OrchestratorSettings, Settings } from './settings.js';
import * as v from './validators.js';

/** The longest `timeout`: a week, longer than any runner lets a job live. */
const MAX_TIMEOUT_SECONDS = 604_800;

/** Reads one input by name; returns '' when it is not set. */
export type InputSource = (name: InputName) => string;

/** The defaults of action.yml, applied when an input is empty. */
export const DEFAULTS: Partial<Record<InputName, string>> = {
  [Inputs.command]: 'deploy',
  [Inputs.orchestrator]: 'compose',
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

/** Parses and validates every input. Throws one InputError listing all problems. */
export function parseSettings(read: InputSource, context: ParseContext = {}): Settings {
  const get = (name: InputName): string => {
    const value = read(name).trim();
    return value === '' ? (DEFAULTS[name] ?? '') : value;
  };
  /** Secrets and keys keep their exact text. */
  const raw = (name: InputName): string | undefined => {
    const value = read(name);
    return value.trim() === '' ? undefined : value;
  };
  const p = new v.Problems();

  const commandText = get(Inputs.command);
  const command = (COMMANDS as readonly string[]).includes(commandText)
    ? (commandText as Command)
    : p.add(Inputs.command, `${v.show(commandText)} is not a command`, `one of ${COMMANDS.join(', ')}`);

  const port = v.integer(p, Inputs.port, get(Inputs.port), 1, 65535);
  const hostText = get(Inputs.host);
  const hostLines = hostText ? parseHostList(p, hostText, port) : [];
  if (!hostText) p.missing(Inputs.host, 'the server address (or several: one per line, or separated by commas)');
  /** An input a host line may set is required unless every host line sets it. */
  const unlessEveryHost = (key: keyof HostOverrides, name: InputName, expected: string): undefined =>
    hostLines.length > 0 && hostLines.every((line) => line.overrides[key] !== undefined) ? undefined : p.missing(name, expected);
  const userText = get(Inputs.username);
  const username = userText ? v.username(p, Inputs.username, userText) : unlessEveryHost('username', Inputs.username, 'the SSH user');
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

  let jump: SshEndpoint | undefined;
  const proxyHostText = get(Inputs.proxyHost);
  if (proxyHostText) {
    const proxyHost = v.host(p, Inputs.proxyHost, proxyHostText);
    const proxyPort = v.integer(p, Inputs.proxyPort, get(Inputs.proxyPort) || '22', 1, 65535);
    const proxyUser = get(Inputs.proxyUsername)
      ? v.username(p, Inputs.proxyUsername, get(Inputs.proxyUsername))
      : (username ?? hostLines[0]?.overrides.username);
    const proxyKey = raw(Inputs.proxyPrivateKey);
    if (proxyKey !== undefined) checkKey(p, Inputs.proxyPrivateKey, proxyKey, undefined);
    // The jump host is checked against its own lines, or against known-hosts when it lists both hosts.
    const proxyKnownHosts = raw(Inputs.proxyKnownHosts) ?? knownHostsText;
    const proxyHostKey = insecure
      ? hostKeyCheck(p, Inputs.proxyKnownHosts, '', '', true)
      : hostKeyCheck(p, Inputs.proxyKnownHosts, proxyKnownHosts, '', false);
    if (proxyHost && proxyPort && proxyUser) {
      jump = {
        host: proxyHost,
        port: proxyPort,
        username: proxyUser,
        privateKey: proxyKey ?? privateKey,
        passphrase: proxyKey ? undefined : passphrase,
        password: proxyKey ? undefined : password,
        hostKey: proxyHostKey,
      };
    }
  } else {
    for (const name of [Inputs.proxyPort, Inputs.proxyUsername, Inputs.proxyPrivateKey, Inputs.proxyKnownHosts] as const) {
      if (raw(name) !== undefined) p.add(name, 'it is set but proxy-host is empty', `'${Inputs.proxyHost}' to be set too`);
    }
  }

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
  const first = hostLines[0]?.overrides;
  const orchestrator = orchestratorSettings(p, get, first?.path ?? path, first?.projectName ?? projectName);
  if (orchestrator?.kind === 'swarm' && hostLines.length > 1) {
    p.add(
      Inputs.host,
      `it names ${hostLines.length} hosts but ${Inputs.orchestrator} is swarm`,
      'one manager node of the swarm: Swarm itself spreads the stack over its nodes',
    );
  }
  const parallel = v.integer(p, Inputs.parallel, get(Inputs.parallel), 1, 1000);

  const healthText = get(Inputs.healthUrl);
  const healthUrl = healthText ? v.httpUrl(p, Inputs.healthUrl, healthText) : undefined;
  const healthTimeout = v.integer(p, Inputs.healthTimeout, get(Inputs.healthTimeout), 1, 3600);
  const rollbackOnFailure = v.boolean(p, Inputs.rollbackOnFailure, get(Inputs.rollbackOnFailure));
  const logLines = v.integer(p, Inputs.logLines, get(Inputs.logLines), 1, 100_000);
  const lockTimeout = v.integer(p, Inputs.lockTimeout, get(Inputs.lockTimeout), 0, 86_400);
  const timeout = v.integer(p, Inputs.timeout, get(Inputs.timeout), 1, MAX_TIMEOUT_SECONDS);
  const environmentUrlText = get(Inputs.environmentUrl);
  const environmentUrl = environmentUrlText ? v.httpUrl(p, Inputs.environmentUrl, environmentUrlText) : undefined;

  if (
    p.list.length > 0 ||
    !command ||
    !port ||
    !orchestrator ||
    !parallel ||
    healthTimeout === undefined ||
    rollbackOnFailure === undefined ||
    !logLines ||
    lockTimeout === undefined ||
    timeout === undefined
  ) {
    throw new InputError(p.list.join('\n'), 'Nothing was run: fix the inputs above and run again.');
  }
  const hosts = hostTargets(hostLines, {
    ssh: {
      username,
      privateKey,
      passphrase,
      password,
      hostKey,
      jump,
      connectTimeoutMs: SSH_DEFAULTS.connectTimeoutMs,
      connectRetries: SSH_DEFAULTS.connectRetries,
      keepaliveIntervalMs: SSH_DEFAULTS.keepaliveIntervalMs,
    },
    app: { path, composeFiles, projectName, services },
    health: { url: healthUrl, timeoutMs: healthTimeout * 1000 },
  });
  const [one] = hosts;
  if (!one) throw new InputError(p.list.join('\n'), 'Nothing was run: fix the inputs above and run again.');
  return {
    command,
    ssh: one.ssh,
    app: one.app,
    orchestrator,
    hosts,
    parallel,
    ref,
    lintCommand: get(Inputs.lintCommand) || undefined,
    health: one.health,
    rollbackOnFailure,
    logLines,
    lockTimeoutMs: lockTimeout * 1000,
    timeoutMs: timeout * 1000,
    trigger: command === 'deploy' && context.event === 'push' ? 'push' : 'manual',
    github: { token: raw(Inputs.githubToken), environment: get(Inputs.environment), environmentUrl },
  };
}
