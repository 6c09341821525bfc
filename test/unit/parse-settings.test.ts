import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { InputError } from '../../core/errors.js';
import type { InputName } from '../../core/settings/input-names.js';
import { parseSettings } from '../../core/settings/parse-settings.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-settings-'));
after(() => rmSync(dir, { recursive: true, force: true }));
spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'key')]);
spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret', '-f', join(dir, 'enc')]);
const KEY = readFileSync(join(dir, 'key'), 'utf8');
const ENC = readFileSync(join(dir, 'enc'), 'utf8');
const KNOWN = `example.com ${readFileSync(join(dir, 'key.pub'), 'utf8').split(' ').slice(0, 2).join(' ')}`;

const good: Partial<Record<InputName, string>> = {
  host: 'example.com',
  username: 'deploy',
  'private-key': KEY,
  'known-hosts': KNOWN,
  path: '/srv/app',
};
const parse = (inputs: Partial<Record<InputName, string>>, sha = 'f'.repeat(40)) =>
  parseSettings((name) => inputs[name] ?? '', { defaultRef: sha });

function problems(inputs: Partial<Record<InputName, string>>): string {
  try {
    parse(inputs);
  } catch (error) {
    assert.ok(error instanceof InputError);
    return error.message;
  }
  assert.fail('expected an InputError');
}

describe('parseSettings', () => {
  it('applies action.yml defaults and deploys the workflow commit', () => {
    const s = parse(good);
    assert.equal(s.command, 'deploy');
    assert.equal(s.ssh.port, 22);
    assert.equal(s.ref, 'f'.repeat(40));
    assert.equal(s.health.timeoutMs, 120_000);
    assert.equal(s.rollbackOnFailure, true);
    assert.equal(s.logLines, 100);
    assert.equal(s.lockTimeoutMs, 600_000);
    assert.equal(s.timeoutMs, 1_800_000);
    assert.equal(s.trigger, 'manual');
    assert.equal(s.github.environment, 'production');
    assert.equal(s.ssh.hostKey.mode, 'verify');
  });

  it('reads lists, the jump host and URLs', () => {
    const s = parse({
      ...good,
      'compose-files': 'compose.yml\n compose.prod.yml \n',
      services: 'web  worker\ncron',
      'proxy-host': 'bastion.example.com',
      'proxy-port': '2222',
      'health-url': 'http://localhost:5000/health',
      'host-fingerprint': 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s',
    });
    assert.deepEqual(s.app.composeFiles, ['compose.yml', 'compose.prod.yml']);
    assert.deepEqual(s.app.services, ['web', 'worker', 'cron']);
    assert.equal(s.ssh.jump?.host, 'bastion.example.com');
    assert.equal(s.ssh.jump?.port, 2222);
    assert.equal(s.ssh.jump?.username, 'deploy');
    assert.equal(s.health.url?.port, '5000');
  });

  it('lists every missing input at once', () => {
    const message = problems({});
    for (const name of ['host', 'username', 'path']) assert.match(message, new RegExp(`Missing input '${name}'`));
    assert.match(message, /'private-key' or 'password'/);
    assert.match(message, /'known-hosts' or 'host-fingerprint'/);
  });

  it('refuses hostile values with the input name and the expected form', () => {
    const cases: Array<[InputName, string, RegExp]> = [
      ['host', 'example.com; rm -rf /', /Invalid input 'host'.*Expected a host/],
      ['host', '-oProxyCommand=evil', /Invalid input 'host'/],
      ['username', 'root\nevil', /Invalid input 'username'/],
      ['port', '22; ls', /Invalid input 'port'.*not a whole number/],
      ['port', '0', /out of range/],
      ['path', 'srv/app', /not an absolute path/],
      ['path', '/srv/app\nrm -rf /', /line break/],
      ['ref', '--upload-pack=touch /tmp/x', /Invalid input 'ref'/],
      ['ref', 'main; reboot', /Invalid input 'ref'/],
      ['ref', 'a\nb', /Invalid input 'ref'/],
      ['ref', 'x..y', /Invalid input 'ref'/],
      ['compose-files', '../../etc/passwd', /Invalid input 'compose-files'/],
      ['compose-files', '/etc/compose.yml', /Invalid input 'compose-files'/],
      ['project-name', 'My Project', /Compose project name/],
      ['services', 'web;id', /not a valid service name/],
      ['health-url', 'file:///etc/passwd', /scheme 'file:'/],
      ['health-url', 'not a url', /not a URL/],
      ['health-timeout', '-1', /Invalid input 'health-timeout'/],
      ['timeout', '0', /Invalid input 'timeout': 0 is out of range/],
      ['timeout', '1.5', /Invalid input 'timeout': .*not a whole number/],
      ['timeout', '30m', /Invalid input 'timeout': .*not a whole number/],
      ['rollback-on-failure', 'yes', /not a boolean/],
      ['command', 'destroy', /Invalid input 'command'.*one of deploy, rollback, restart, logs, status/],
      ['host-fingerprint', 'MD5:00:11', /not a SHA256 fingerprint/],
      ['known-hosts', 'example.com ssh-ed25519', /line 1/],
    ];
    for (const [name, value, pattern] of cases) {
      assert.throws(() => parse({ ...good, [name]: value }), InputError, `${name}=${JSON.stringify(value)} is refused`);
      assert.match(problems({ ...good, [name]: value }), pattern, `${name}=${JSON.stringify(value)}`);
    }
  });

  it('takes values with spaces and shell characters where they are legal, to be quoted later', () => {
    const s = parse({ ...good, path: '/srv/my app $(x)', ref: 'feature/ünï-çødé' });
    assert.equal(s.app.path, '/srv/my app $(x)');
    assert.equal(s.ref, 'feature/ünï-çødé');
    // git allows these characters in branch names; they reach the server as one quoted word.
    assert.equal(parse({ ...good, ref: 'x$(id>pwned);true' }).ref, 'x$(id>pwned);true');
  });

  it('checks the key and passphrase before anything connects', () => {
    assert.match(problems({ ...good, 'private-key': ENC }), /encrypted and no passphrase/);
    assert.match(problems({ ...good, 'private-key': ENC, passphrase: 'wrong' }), /wrong passphrase/);
    assert.equal(parse({ ...good, 'private-key': ENC, passphrase: 'secret' }).ssh.passphrase, 'secret');
    assert.match(problems({ ...good, 'private-key': readFileSync(join(dir, 'key.pub'), 'utf8') }), /could not be read|public key/);
  });

  it('skips host key checks only on explicit opt-in', () => {
    const s = parse({ ...good, 'known-hosts': '', 'insecure-skip-host-key-check': 'true' });
    assert.equal(s.ssh.hostKey.mode, 'insecure-skip');
  });

  it('refuses jump host settings without a jump host', () => {
    assert.match(problems({ ...good, 'proxy-port': '2222' }), /'proxy-port': it is set but proxy-host is empty/);
  });

  it("takes the whole run's timeout in seconds", () => {
    assert.equal(parse({ ...good, timeout: '5' }).timeoutMs, 5000);
  });

  it('treats a deploy started by a push as a push deploy, and every other run as told what to do', () => {
    const started = (event: string | undefined, command = 'deploy') =>
      parseSettings((name) => ({ ...good, command })[name] ?? '', { defaultRef: 'f'.repeat(40), event }).trigger;
    assert.equal(started('push'), 'push');
    assert.deepEqual(
      [started('workflow_dispatch'), started('schedule'), started(undefined), started('push', 'rollback')],
      ['manual', 'manual', 'manual', 'manual'],
    );
  });

  it('rolls back to the previous good release when no ref is given', () => {
    assert.equal(parseSettings((name) => ({ ...good, command: 'rollback' })[name] ?? '', {}).ref, undefined);
  });
});

describe('parseSettings: the orchestrator', () => {
  it('is Compose unless told otherwise', () => {
    assert.deepEqual(parse(good).orchestrator, { kind: 'compose' });
  });

  it('deploys a Swarm stack named by project-name, else the folder name', () => {
    assert.deepEqual(parse({ ...good, orchestrator: 'swarm', 'project-name': 'shop' }).orchestrator, {
      kind: 'swarm',
      stack: 'shop',
      registry: undefined,
    });
    assert.deepEqual(
      parse({ ...good, orchestrator: 'swarm', path: '/srv/My Shop.v2', registry: 'registry.example.com:5000/team/' }).orchestrator,
      {
        kind: 'swarm',
        stack: 'myshopv2',
        registry: 'registry.example.com:5000/team',
      },
    );
  });

  it('names a bad orchestrator, a bad registry, a registry without swarm and a folder that gives no stack name', () => {
    assert.match(
      problems({ ...good, orchestrator: 'kubernetes' }),
      /Invalid input 'orchestrator': "kubernetes" is not an orchestrator berth drives\. Expected one of compose, swarm/,
    );
    assert.match(problems({ ...good, registry: 'ghcr.io/acme' }), /Invalid input 'registry': it is set but orchestrator is compose/);
    assert.match(
      problems({ ...good, orchestrator: 'swarm', registry: 'https://Registry/x' }),
      /Invalid input 'registry': "https:\/\/Registry\/x" is not a registry/,
    );
    assert.match(
      problems({ ...good, orchestrator: 'swarm', path: '/srv/__' }),
      /Invalid input 'project-name': it is empty and the folder name "__" gives no stack name/,
    );
  });
});

describe('parseSettings: several hosts', () => {
  const hostsOf = (host: string, extra: Partial<Record<InputName, string>> = {}) => parse({ ...good, host, ...extra }).hosts;

  it('takes hosts one per line or comma-separated, each with the port input unless it names its own', () => {
    const hosts = hostsOf('web1.example.com, web2.example.com:2222\n10.0.0.7\n[2001:db8::7]:2200\n2001:db8::8', { port: '2022' });
    assert.deepEqual(
      hosts.map((h) => [h.label, h.ssh.host, h.ssh.port]),
      [
        ['web1.example.com:2022', 'web1.example.com', 2022],
        ['web2.example.com:2222', 'web2.example.com', 2222],
        ['10.0.0.7:2022', '10.0.0.7', 2022],
        ['[2001:db8::7]:2200', '2001:db8::7', 2200],
        ['[2001:db8::8]:2022', '2001:db8::8', 2022],
      ],
    );
    assert.equal(parse({ ...good, host: 'a.example.com\nb.example.com\n' }).hosts[0]?.label, 'a.example.com', 'port 22 is not shown');
  });

  it("applies a line's settings to its host only; the rest come from the inputs", () => {
    const s = parse({
      ...good,
      host: 'web1\nweb2:2222 path=/srv/b project-name=b health-url=http://localhost:5001/health username=deploy2',
      'project-name': 'shop',
      'health-url': 'http://localhost:5000/health',
      parallel: '2',
    });
    const [web1, web2] = s.hosts;
    assert.deepEqual(
      [web1?.ssh.username, web1?.app.path, web1?.app.projectName, web1?.health.url?.port],
      ['deploy', '/srv/app', 'shop', '5000'],
    );
    assert.deepEqual(
      [web2?.ssh.username, web2?.app.path, web2?.app.projectName, web2?.health.url?.port],
      ['deploy2', '/srv/b', 'b', '5001'],
    );
    assert.equal(web2?.ssh.privateKey, KEY, 'the key applies to every host');
    assert.deepEqual([s.ssh.host, s.app.path, s.parallel], ['web1', '/srv/app', 2], 'the first host is the one a single-host run uses');
  });

  it('needs no username or path input when every host line sets its own', () => {
    const s = parse({ ...good, username: '', path: '', host: 'a username=u1 path=/srv/a\nb username=u2 path=/srv/b' });
    assert.deepEqual(
      s.hosts.map((h) => `${h.ssh.username}@${h.label}:${h.app.path}`),
      ['u1@a:/srv/a', 'u2@b:/srv/b'],
    );
    const message = problems({ ...good, username: '', path: '', host: 'a username=u1 path=/srv/a\nb' });
    assert.match(message, /Missing input 'username'/);
    assert.match(message, /Missing input 'path'/);
  });

  it('names every bad host line at once, before anything connects', () => {
    const message = problems({
      ...good,
      host: 'web1\n\nweb2,,web3\nweb1\nweb4 pth=/srv\nweb5, web6 path=/srv/x\npath=/srv/y\nweb7 path=srv\nweb8:99999',
      parallel: '0',
    });
    for (const pattern of [
      /Invalid input 'host': line 2 is empty\. Expected one host per line/,
      /Invalid input 'host': line 3 has an empty entry between commas/,
      /Invalid input 'host': web1 is listed twice \(lines 1 and 4\)\. Expected each host once\./,
      /Invalid input 'host': line 5 sets "pth", which a host line cannot set\. Expected settings from: username, path, project-name, health-url\./,
      /Invalid input 'host': line 6 has settings but names 2 hosts/,
      /Invalid input 'host': line 7 names no host before its settings/,
      /Invalid input 'host' line 8 'path': "srv" is not an absolute path/,
      /Invalid input 'host' port of 'web8:99999': 99999 is out of range/,
      /Invalid input 'parallel': 0 is out of range\. Expected an integer from 1 to 1000\./,
    ]) {
      assert.match(message, pattern);
    }
  });

  it('counts a host with the default port written out as listed twice, and refuses a parallel that is not a number', () => {
    assert.match(problems({ ...good, host: 'a.example.com, a.example.com:22' }), /a\.example\.com is listed twice/);
    assert.match(problems({ ...good, host: 'A.example.com\na.example.com' }), /listed twice/);
    assert.equal(parse({ ...good, host: 'a.example.com:22\na.example.com:2222' }).hosts.length, 2, 'another port is another host');
    assert.match(problems({ ...good, parallel: 'two' }), /Invalid input 'parallel': "two" is not a whole number/);
  });

  it('deploys a Swarm stack from one manager node only', () => {
    assert.match(
      problems({ ...good, host: 'manager1\nmanager2', orchestrator: 'swarm' }),
      /Invalid input 'host': it names 2 hosts but orchestrator is swarm\. Expected one manager node of the swarm/,
    );
  });
});
