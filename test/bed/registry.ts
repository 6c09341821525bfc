/**
 * A private image registry on 127.0.0.1, for the swarm tests' multi-node path (`registry` input):
 * Debian's docker-registry binary, extracted from its package rather than installed, since the
 * package would start a registry service on port 5000 of every interface.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { debBinary } from './deb-binary.js';
import { freePort, waitFor } from './system.js';

/** The registry binary, downloaded and extracted once per machine. */
const registryBinary = (): string => debBinary('docker-registry', 'usr/bin/docker-registry');

export interface TestRegistry {
  /** `127.0.0.1:PORT`: Docker pushes to loopback registries over plain HTTP. */
  readonly address: string;
  /** The repositories pushed so far. */
  catalog(): Promise<string[]>;
  stop(): void;
}

/** Starts a registry storing into `dir`, on a free port of 127.0.0.1. */
export async function startRegistry(dir: string): Promise<TestRegistry> {
  const binary = registryBinary();
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\nhttp:\n  addr: ${address}\n`,
  );
  const child = spawn(binary, ['serve', config], { stdio: 'ignore' });
  const stop = (): void => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  const answers = async (): Promise<boolean> => (await fetch(`http://${address}/v2/`).catch(() => undefined))?.status === 200;
  await waitFor(`the registry on ${address}`, answers, 15_000).catch((error: unknown) => {
    stop();
    throw error;
  });
  return {
    address,
    catalog: async () => ((await (await fetch(`http://${address}/v2/_catalog`)).json()) as { repositories: string[] }).repositories,
    stop,
  };
}
