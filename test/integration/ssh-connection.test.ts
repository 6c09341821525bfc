/** The SSH core against the real sshd of the test bed. */
import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  AuthenticationError,
  CancelledError,
  CommandFailedError,
  HostKeyMismatchError,
  HostKeyUnknownError,
  HostUnreachableError,
  PrivateKeyError,
} from '../../core/errors.js';
import { runChecked } from '../../core/exec/executor.js';
import { parseKnownHosts } from '../../core/ssh/known-hosts.js';
import { connectSsh, type SshConnection } from '../../core/ssh/ssh-connection.js';
import { freePort } from '../bed/system.js';
import { testbed } from '../bed/testbed.js';
import { bedSettings, jumpEndpoint } from '../helpers/ssh.js';

const whoami = async (connection: SshConnection): Promise<string> => (await runChecked(connection, ['id', '-un'])).stdout.trim();

describe('SSH authentication', () => {
  it('logs in with an OpenSSH ed25519 key', async () => {
    const connection = await connectSsh(bedSettings());
    try {
      assert.equal(await whoami(connection), testbed().user);
    } finally {
      await connection.close();
    }
  });

  it('logs in with an encrypted key and its passphrase', async () => {
    const bed = testbed();
    const connection = await connectSsh(bedSettings({ privateKey: bed.keys.encrypted, passphrase: bed.keys.passphrase }));
    assert.equal(await whoami(connection), bed.user);
    await connection.close();
  });

  it('logs in with an RSA key in PEM format', async () => {
    const connection = await connectSsh(bedSettings({ privateKey: testbed().keys.rsaPem }));
    assert.equal(await whoami(connection), testbed().user);
    await connection.close();
  });

  it('refuses a wrong passphrase before connecting', async () => {
    await assert.rejects(connectSsh(bedSettings({ privateKey: testbed().keys.encrypted, passphrase: 'wrong' })), (error: unknown) => {
      assert.ok(error instanceof PrivateKeyError, String(error));
      assert.match(error.message, /wrong passphrase/);
      return true;
    });
  });

  it('says when an encrypted key has no passphrase', async () => {
    await assert.rejects(connectSsh(bedSettings({ privateKey: testbed().keys.encrypted })), /encrypted and no passphrase/);
  });

  it('logs in with a password', async () => {
    const connection = await connectSsh(bedSettings({ privateKey: undefined, password: testbed().password }));
    assert.equal(await whoami(connection), testbed().user);
    await connection.close();
  });

  it('falls back to the password when the key is refused', async () => {
    const bed = testbed();
    const connection = await connectSsh(bedSettings({ privateKey: bed.keys.unknown, password: bed.password }));
    assert.equal(await whoami(connection), bed.user);
    await connection.close();
  });

  it('reports a wrong key as refused authentication, without retrying', async () => {
    const started = Date.now();
    await assert.rejects(connectSsh(bedSettings({ privateKey: testbed().keys.unknown, connectRetries: 3 })), (error: unknown) => {
      assert.ok(error instanceof AuthenticationError, String(error));
      assert.match(error.message, /refused \(tried: publickey\)/);
      return true;
    });
    assert.ok(Date.now() - started < 5000, 'an authentication failure is not retried');
  });

  it('reports a wrong password as refused authentication', async () => {
    await assert.rejects(connectSsh(bedSettings({ privateKey: undefined, password: 'nope' })), AuthenticationError);
  });
});

describe('SSH host key verification', () => {
  it('fails closed when the host is not in known-hosts, executing nothing', async () => {
    await assert.rejects(
      connectSsh(bedSettings({ hostKey: { mode: 'verify', knownHosts: parseKnownHosts(testbed().jump.knownHosts), fingerprints: [] } })),
      (error: unknown) => {
        assert.ok(error instanceof HostKeyUnknownError, String(error));
        assert.match(error.hint ?? '', new RegExp(`ssh-keyscan -p ${testbed().sshd.port} 127.0.0.1`));
        return true;
      },
    );
  });

  it('refuses a mismatched key and shows both fingerprints', async () => {
    const bed = testbed();
    // The jump sshd's keys, listed under the main sshd's name: a man in the middle.
    const forged = bed.jump.knownHosts.replaceAll(`[127.0.0.1]:${bed.jump.port}`, `[127.0.0.1]:${bed.sshd.port}`);
    await assert.rejects(
      connectSsh(bedSettings({ hostKey: { mode: 'verify', knownHosts: parseKnownHosts(forged), fingerprints: [] } })),
      (error: unknown) => {
        assert.ok(error instanceof HostKeyMismatchError, String(error));
        assert.ok(error.expected.length >= 1);
        assert.match(error.presented, /SHA256:/);
        assert.match(error.message, /expected: .*SHA256:[\s\S]*presented: .*SHA256:/);
        return true;
      },
    );
  });

  it('accepts hashed known_hosts entries', async () => {
    const bed = testbed();
    const name = `[127.0.0.1]:${bed.sshd.port}`;
    const hashed = bed.sshd.knownHosts
      .trim()
      .split('\n')
      .map((line) => {
        const salt = randomBytes(20);
        const hash = createHmac('sha1', salt).update(name).digest('base64');
        return line.replace(name, `|1|${salt.toString('base64')}|${hash}`);
      })
      .join('\n');
    const connection = await connectSsh(
      bedSettings({ hostKey: { mode: 'verify', knownHosts: parseKnownHosts(hashed), fingerprints: [] } }),
    );
    assert.equal(await whoami(connection), bed.user);
    await connection.close();
  });

  it('negotiates the key type known_hosts holds (RSA only)', async () => {
    const bed = testbed();
    const rsaOnly = bed.sshd.knownHosts
      .split('\n')
      .filter((line) => line.includes('ssh-rsa'))
      .join('\n');
    const connection = await connectSsh(
      bedSettings({ hostKey: { mode: 'verify', knownHosts: parseKnownHosts(rsaOnly), fingerprints: [] } }),
    );
    assert.equal(await whoami(connection), bed.user);
    await connection.close();
  });

  it('accepts a SHA256 fingerprint as ssh-keygen -lf prints it', async () => {
    const connection = await connectSsh(
      bedSettings({ hostKey: { mode: 'verify', knownHosts: [], fingerprints: [testbed().sshd.fingerprint] } }),
    );
    assert.equal(await whoami(connection), testbed().user);
    await connection.close();
  });

  it('skips verification only when told, with a warning', async () => {
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (message: string) => void warnings.push(message) };
    const connection = await connectSsh(bedSettings({ hostKey: { mode: 'insecure-skip' } }), { logger });
    await connection.close();
    assert.match(warnings.join('\n'), /Host key verification is turned off/);
  });
});

describe('SSH jump host', () => {
  it('reaches the server through the jump host', async () => {
    const bed = testbed();
    const connection = await connectSsh(bedSettings({ jump: jumpEndpoint() }));
    assert.equal(await whoami(connection), bed.user);
    await connection.close();
    const log = readFileSync(bed.jump.logFile, 'utf8');
    assert.match(log, new RegExp(`direct-tcpip.*127\\.0\\.0\\.1.*${bed.sshd.port}|target 127\\.0\\.0\\.1 port ${bed.sshd.port}`));
  });

  it('verifies the jump host key separately', async () => {
    const forged = { mode: 'verify' as const, knownHosts: parseKnownHosts(testbed().sshd.knownHosts), fingerprints: [] };
    await assert.rejects(connectSsh(bedSettings({ jump: jumpEndpoint({ hostKey: forged }) })), (error: unknown) => {
      assert.ok(error instanceof HostKeyUnknownError);
      assert.match(error.message, new RegExp(`\\[127.0.0.1\\]:${testbed().jump.port}`));
      return true;
    });
  });

  it('uses the jump host its own credentials', async () => {
    await assert.rejects(connectSsh(bedSettings({ jump: jumpEndpoint({ privateKey: testbed().keys.unknown }) })), /jump host/);
  });
});

describe('SSH connection failures', () => {
  it('reports an unreachable port after retrying with backoff', async () => {
    const port = await freePort();
    const delays: number[] = [];
    await assert.rejects(
      connectSsh(bedSettings({ port, connectRetries: 2 }), { sleep: async (ms) => void delays.push(ms) }),
      (error: unknown) => {
        assert.ok(error instanceof HostUnreachableError, String(error));
        assert.match(error.message, /ECONNREFUSED/);
        return true;
      },
    );
    assert.deepEqual(delays, [1000, 2000]);
  });

  it('times out on a server that never speaks SSH', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      await assert.rejects(connectSsh(bedSettings({ port, connectTimeoutMs: 1000 })), /timed out after 1s/);
    } finally {
      silent.close();
    }
  });
});

describe('SSH commands', () => {
  let connection: SshConnection;
  before(async () => {
    connection = await connectSsh(bedSettings());
  });
  after(() => connection.close());

  it('returns exit codes and keeps stderr apart from stdout', async () => {
    const result = await connection.run(['sh', '-c', 'echo out; echo err >&2; exit 3']);
    assert.equal(result.code, 3);
    assert.equal(result.signal, null);
    assert.equal(result.stdout, 'out\n');
    assert.equal(result.stderr, 'err\n');
  });

  it('throws a CommandFailedError with the code and stderr tail', async () => {
    await assert.rejects(runChecked(connection, ['ls', '/no/such/dir']), (error: unknown) => {
      assert.ok(error instanceof CommandFailedError);
      assert.equal(error.code, 2);
      assert.match(error.message, /ls \/no\/such\/dir.*exited with code 2[\s\S]*No such file/);
      return true;
    });
  });

  it('reports a command killed by a signal', async () => {
    const result = await connection.run(['sh', '-c', 'kill -KILL $$']);
    assert.equal(result.code, null);
    assert.equal(result.signal, 'SIGKILL');
  });

  it('passes arguments with shell metacharacters literally', async () => {
    const hostile = ['$(id)', 'a b', "it's", 'x;rm -rf /', 'new\nline'];
    const result = await runChecked(connection, ['printf', '%s|', ...hostile]);
    assert.equal(result.stdout, `${hostile.join('|')}|`);
  });

  it('passes stdin, cwd and environment without AcceptEnv', async () => {
    const result = await runChecked(connection, ['sh', '-c', 'pwd; echo "$GREETING"; cat'], {
      cwd: '/tmp',
      env: { GREETING: 'hello $world' },
      stdin: 'from stdin',
    });
    assert.equal(result.stdout, '/tmp\nhello $world\nfrom stdin');
  });

  it('streams 10 MB of output without loss', async () => {
    const hash = createHash('sha256');
    let bytes = 0;
    const result = await runChecked(
      connection,
      ['sh', '-c', 'head -c 10485760 /dev/urandom | tee /tmp/berth-10mb.$$ ; sha256sum /tmp/berth-10mb.$$ >&2; rm /tmp/berth-10mb.$$'],
      {
        captureStdout: false,
        onStdout: (chunk) => {
          bytes += chunk.length;
          hash.update(chunk);
        },
      },
    );
    assert.equal(bytes, 10 * 1024 * 1024);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr.split(' ')[0], hash.digest('hex'));
  });

  it('cancels a running command and ends the remote process', async () => {
    const marker = `berth-cancel-${process.pid}-${Date.now()}`;
    const controller = new AbortController();
    const running = connection.run(['sh', '-c', `sleep 300 # ${marker}`], { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal((await connection.run(['pgrep', '-f', marker])).code, 0, 'the remote command runs');
    controller.abort();
    await assert.rejects(running, (error) => {
      assert.ok(error instanceof CancelledError);
      assert.equal(error.remoteEnded, true, 'sshd reported its end');
      assert.match(error.message, /'sh' on .* was stopped \(SIGTERM\)/);
      return true;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal((await connection.run(['pgrep', '-f', marker])).code, 1, 'the remote command is gone');
  });

  it('forwards TCP connections as the server sees them', async () => {
    const server = createServer((socket) => socket.end('hello through ssh'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const stream = await connection.openTcp('127.0.0.1', port);
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      assert.equal(Buffer.concat(chunks).toString(), 'hello through ssh');
    } finally {
      server.close();
    }
  });
});
