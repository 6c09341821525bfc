/**
 * A release history file edited by hand or cut short, through the bundles against the real sshd and
 * Docker engine: every command fails saying what is wrong with the file, and nothing is changed — the
 * file is not taken for an empty history and overwritten, the running version stays, the lock is free.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runChecked } from '../../core/exec/executor.js';
import { acquireLock } from '../../core/release/deploy-lock.js';
import type { InputName } from '../../core/settings/input-names.js';
import { connectSsh, type SshConnection } from '../../core/ssh/ssh-connection.js';
import { freePort } from '../bed/system.js';
import { testbed } from '../bed/testbed.js';
import { runAction } from '../helpers/action-runner.js';
import { type AppRepo, createAppRepo } from '../helpers/app-repo.js';
import { bedCliFlags, bedInputs } from '../helpers/engine.js';
import { type FakeGithub, startFakeGithub } from '../helpers/fake-github.js';
import { pushEvent, workflowDispatchEvent } from '../helpers/github-events.js';
import { bedSettings } from '../helpers/ssh.js';

describe('a release history that is not one', () => {
  let admin: SshConnection;
  let app: AppRepo;
  let github: FakeGithub;
  let inputs: Partial<Record<InputName, string>>;
  let history: string;
  const project = `berth-history-${process.pid}`;

  const page = async (): Promise<string> => (await (await fetch(`http://127.0.0.1:${app.port}/`)).text()).trim();
  const writeHistory = (text: string) => runChecked(admin, ['sh', '-c', 'cat > "$1"', 'write', history], { stdin: text });
  const readHistory = async (): Promise<string> => (await runChecked(admin, ['cat', history])).stdout;
  const lockFree = async (): Promise<void> => {
    const release = await acquireLock(admin, `${app.path}/.git/berth/lock`, { timeoutMs: 0, owner: 'release-history.test' });
    await release();
  };

  before(async () => {
    admin = await connectSsh(bedSettings());
    app = await createAppRepo(admin, `${testbed().home}/berth-tests/history-${process.pid}`, await freePort());
    github = await startFakeGithub();
    inputs = bedInputs({ path: app.path, 'project-name': project });
    history = `${app.path}/.git/berth/releases.json`;
    const good = await app.commit({ 'www/index.html': 'good\n' }, 'good');
    const run = await runAction({ with: inputs, event: pushEvent(good), github });
    assert.equal(run.code, 0, run.output);
  });

  after(async () => {
    await admin.run(['docker-compose', '--project-name', project, 'down', '--rmi', 'local', '--remove-orphans'], { cwd: app.path });
    await admin.close();
    await github.close();
  });

  it('a history whose releases were pasted without their wrapper: deploy and status fail saying so, and the file is kept as it was', async () => {
    const original = await readHistory();
    const releases = JSON.stringify((JSON.parse(original) as { releases: unknown[] }).releases, null, 2);
    await writeHistory(releases);
    const next = await app.commit({ 'www/index.html': 'next\n' }, 'next');
    const problem =
      /The release history .*\/releases\.json on .* cannot be read: it is not a berth release history \(the file: expected object, received array\)\. Nothing was changed\./;
    const deploy = await runAction({ with: inputs, event: pushEvent(next), github });
    assert.equal(deploy.code, 1, deploy.output);
    assert.equal(deploy.outputs.status, 'failed');
    assert.match(deploy.annotations.find((a) => a.level === 'error')?.message ?? '', problem);
    const status = await runAction({ with: { ...inputs, command: 'status' }, event: workflowDispatchEvent({ command: 'status' }), github });
    assert.equal(status.code, 1, status.output);
    assert.match(status.annotations.find((a) => a.level === 'error')?.message ?? '', problem);
    assert.equal(await readHistory(), releases);
    assert.equal(await page(), 'good');
    await lockFree();
    await writeHistory(original);
  });

  it('a full disk where the history lives: the deploy fails saying so before anything changes, the history whole, no partial copy left', async () => {
    const dir = `${app.path}/.git/berth`;
    const before = await readHistory();
    // A 16 KiB tmpfs over the state folder (the test bed runs as root) holding its files, filled but for one page:
    // room for the lock's ticket, none for a new history.
    const shell = (script: string) => execFileSync('sh', ['-c', script, 'sh', dir], { stdio: 'pipe' });
    shell(
      's=$(mktemp -d) && cp -a "$1"/. "$s" && mount -t tmpfs -o size=16k,uid=$(stat -c %u "$1"),gid=$(stat -c %g "$1") tmpfs "$1" && cp -a "$s"/. "$1" && rm -rf "$s"',
    );
    try {
      shell('dd if=/dev/zero of="$1/filler" bs=1k count=$(( $(df -k --output=avail "$1" | tail -1) - 4 )) 2>/dev/null');
      const next = await app.commit({ 'www/index.html': 'no room\n' }, 'no room');
      const run = await runAction({ with: inputs, event: pushEvent(next), github });
      assert.equal(run.code, 1, run.output);
      assert.equal(run.outputs.status, 'failed');
      assert.match(
        run.annotations.find((a) => a.level === 'error')?.message ?? '',
        /^Could not write the release history .*\/releases\.json on .*: cat: write error: No space left on device\. It was left as it was\./,
      );
      assert.equal(await readHistory(), before);
      assert.deepEqual(
        (await runChecked(admin, ['ls', dir])).stdout.split('\n').filter((f) => f.startsWith('releases.json.')),
        [],
      );
      assert.equal(await page(), 'good');
    } finally {
      shell('umount "$1"');
    }
    await lockFree();
  });

  it('a history cut short, or with a release missing its fields: the CLI fails naming the problem, and changes nothing', async () => {
    const whole = await readHistory();
    for (const [text, problem] of [
      [whole.slice(0, 120), /cannot be read: it is not valid JSON \(/],
      [
        JSON.stringify({ version: 1, releases: [{ id: 'by hand' }] }),
        /cannot be read: it is not a berth release history \(releases\[0\]\.ref: expected string/,
      ],
    ] as const) {
      await writeHistory(text);
      for (const command of ['status', 'restart']) {
        const cli = spawnSync(
          process.execPath,
          [join(process.cwd(), 'dist/cli/index.js'), command, ...bedCliFlags(), '--path', app.path, '--project-name', project],
          { encoding: 'utf8', timeout: 120_000 },
        );
        assert.equal(cli.status, 1, `${command}: ${cli.stdout}${cli.stderr}`);
        assert.match(`${cli.stdout}${cli.stderr}`, problem, command);
      }
      assert.equal(await readHistory(), text);
    }
    await writeHistory(whole);
    await lockFree();
  });
});
