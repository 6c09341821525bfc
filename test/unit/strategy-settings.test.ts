/**
 * The strategy inputs (`strategy`, `public-port`, `colour-ports`, `proxy-image`), `web-service` and
 * `migrate-command`, read by parseSettings: typed settings, or one InputError listing every problem,
 * each naming its input, thrown before any Settings exist to connect with.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../../core/errors.js';
import type { InputName } from '../../core/settings/input-names.js';
import { parseSettings } from '../../core/settings/parse-settings.js';

type Inputs = Partial<Record<InputName, string>>;

/** A deploy that parses: password auth, no host key check (nothing connects here). */
const base: Inputs = {
  host: 'example.com',
  username: 'deploy',
  password: 'secret',
  'insecure-skip-host-key-check': 'true',
  path: '/srv/app',
};
const blueGreen: Inputs = { ...base, strategy: 'blue-green', 'public-port': '80' };

const parse = (inputs: Inputs) => parseSettings((name) => inputs[name] ?? '', { defaultRef: 'f'.repeat(40) });

/** The problem lines of the InputError parseSettings throws. */
function problems(inputs: Inputs): string[] {
  try {
    parse(inputs);
  } catch (error) {
    assert.ok(error instanceof InputError, String(error));
    assert.match(error.hint ?? '', /Nothing was run/);
    return error.message.split('\n');
  }
  assert.fail('expected an InputError');
}

/** Exactly these problems, in order, each matched by a pattern. */
function assertProblems(inputs: Inputs, expected: RegExp[]): void {
  const lines = problems(inputs);
  assert.equal(lines.length, expected.length, lines.join('\n'));
  expected.forEach((pattern, i) => assert.match(lines[i] ?? '', pattern));
}

describe('strategy settings: good inputs', () => {
  it('defaults to recreate, with no web service and no migration', () => {
    const s = parse(base);
    assert.deepEqual(s.strategy, { kind: 'recreate' });
    assert.equal(s.webService, undefined);
    assert.equal(s.migrateCommand, undefined);
  });

  it('blue-green with only public-port: colour ports 5001 5002 and the proxy image caddy:2.6', () => {
    assert.deepEqual(parse(blueGreen).strategy, { kind: 'blue-green', publicPort: 80, colourPorts: [5001, 5002], proxyImage: 'caddy:2.6' });
  });

  it('blue-green with every input given, colour ports separated by a comma', () => {
    const s = parse({
      ...blueGreen,
      'public-port': '8080',
      'colour-ports': '6001, 6002',
      'proxy-image': 'registry.example.com:5000/team/caddy@sha256:0123abcd',
      'web-service': 'web',
      'migrate-command': 'bin/rails db:migrate && echo "done; really"',
      'health-url': 'http://localhost:8080/health?deep=1',
    });
    assert.deepEqual(s.strategy, {
      kind: 'blue-green',
      publicPort: 8080,
      colourPorts: [6001, 6002],
      proxyImage: 'registry.example.com:5000/team/caddy@sha256:0123abcd',
    });
    assert.equal(s.webService, 'web');
    assert.equal(s.migrateCommand, 'bin/rails db:migrate && echo "done; really"');
  });

  it('a health-url with no port is port 80', () => {
    assert.equal(parse({ ...blueGreen, 'health-url': 'http://app.example.com/health' }).strategy.kind, 'blue-green');
  });

  it('web-service and migrate-command also go with recreate', () => {
    const s = parse({ ...base, 'web-service': 'web', 'migrate-command': 'npm run migrate' });
    assert.deepEqual(s.strategy, { kind: 'recreate' });
    assert.equal(s.webService, 'web');
    assert.equal(s.migrateCommand, 'npm run migrate');
  });
});

describe('strategy settings: bad inputs', () => {
  it('strategy purple', () => {
    assertProblems({ ...base, strategy: 'purple' }, [
      /^Invalid input 'strategy': "purple" is not a deploy strategy\. Expected one of recreate, blue-green/,
    ]);
  });

  it('blue-green without public-port', () => {
    assertProblems({ ...base, strategy: 'blue-green' }, [
      /^Missing input 'public-port': it is required\. Expected the public port the proxy listens on/,
    ]);
  });

  for (const [value, problem] of [
    ['0', /^Invalid input 'public-port': 0 is out of range\. Expected an integer from 1 to 65535\.$/],
    ['70000', /^Invalid input 'public-port': 70000 is out of range\. Expected an integer from 1 to 65535\.$/],
    ['abc', /^Invalid input 'public-port': "abc" is not a whole number\. Expected an integer from 1 to 65535\.$/],
    ['-80', /^Invalid input 'public-port': "-80" is not a whole number/],
  ] as const) {
    it(`public-port ${value}`, () => assertProblems({ ...blueGreen, 'public-port': value }, [problem]));
  }

  it('colour-ports with one port, or three', () => {
    assertProblems({ ...blueGreen, 'colour-ports': '5001' }, [
      /^Invalid input 'colour-ports': "5001" is not two ports\. Expected two ports, blue then green, such as `5001 5002`\.$/,
    ]);
    assertProblems({ ...blueGreen, 'colour-ports': '5001 5002 5003' }, [
      /^Invalid input 'colour-ports': "5001 5002 5003" is not two ports/,
    ]);
  });

  it('colour-ports with the same port twice', () => {
    assertProblems({ ...blueGreen, 'colour-ports': '5001 5001' }, [
      /^Invalid input 'colour-ports': both colours are port 5001\. Expected two different ports/,
    ]);
  });

  it('colour-ports with public-port among them, either colour', () => {
    for (const ports of ['80 5002', '5001 80']) {
      assertProblems({ ...blueGreen, 'colour-ports': ports }, [
        /^Invalid input 'colour-ports': port 80 is also public-port\. Expected ports other than the public one/,
      ]);
    }
  });

  it('colour-ports that are not numbers: each named, with the count when it is off', () => {
    assertProblems({ ...blueGreen, 'colour-ports': 'blue green' }, [
      /^Invalid input 'colour-ports': "blue" is not a whole number/,
      /^Invalid input 'colour-ports': "green" is not a whole number/,
    ]);
    assertProblems({ ...blueGreen, 'colour-ports': '5001 0x1389' }, [/^Invalid input 'colour-ports': "0x1389" is not a whole number/]);
    assertProblems({ ...blueGreen, 'colour-ports': '5001 99999' }, [/^Invalid input 'colour-ports': 99999 is out of range/]);
    assertProblems({ ...blueGreen, 'colour-ports': 'x' }, [
      /^Invalid input 'colour-ports': "x" is not a whole number/,
      /^Invalid input 'colour-ports': "x" is not two ports/,
    ]);
  });

  it('public-port, colour-ports and proxy-image set while strategy is recreate: each named', () => {
    assertProblems({ ...base, 'public-port': '80', 'colour-ports': '5001 5002', 'proxy-image': 'caddy:2.7' }, [
      /^Invalid input 'public-port': it is set but strategy is recreate\. Expected 'strategy: blue-green', or no public-port\.$/,
      /^Invalid input 'colour-ports': it is set but strategy is recreate/,
      /^Invalid input 'proxy-image': it is set but strategy is recreate/,
    ]);
  });

  it('blue-green with orchestrator swarm', () => {
    assertProblems({ ...blueGreen, orchestrator: 'swarm' }, [
      /^Invalid input 'strategy': blue-green is for Compose; with orchestrator swarm, Swarm replaces tasks itself\. Expected 'update_config: order: start-first'/,
    ]);
  });

  it('migrate-command with orchestrator swarm', () => {
    assertProblems({ ...base, orchestrator: 'swarm', 'migrate-command': 'npm run migrate' }, [
      /^Invalid input 'migrate-command': it is set but orchestrator is swarm\. Expected orchestrator compose, or run migrations as a service of the stack\.$/,
    ]);
  });

  it('web-service naming two services, or one that is no service name', () => {
    assertProblems({ ...base, 'web-service': 'a b' }, [
      /^Invalid input 'web-service': "a b" names 2 services\. Expected the one service behind the proxy\.$/,
    ]);
    assertProblems({ ...base, 'web-service': '--all' }, [/^Invalid input 'web-service': "--all" is not a valid service name/]);
  });

  it('proxy-image that docker would read as an option, or that is no image reference', () => {
    for (const image of ['--privileged', '-v/:/host', 'caddy:2.6 --privileged', 'caddy;reboot']) {
      assertProblems({ ...blueGreen, 'proxy-image': image }, [
        new RegExp(
          `^Invalid input 'proxy-image': ${JSON.stringify(image).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not an image reference\\. Expected an image such as \`caddy:2.6\`\\.$`,
        ),
      ]);
    }
  });

  it('health-url whose port is not public-port', () => {
    assertProblems({ ...blueGreen, 'health-url': 'http://localhost:5000/health' }, [
      /^Invalid input 'health-url': its port 5000 is not public-port 80\. Expected the public address, through the proxy \(such as http:\/\/localhost:80\/health\)/,
    ]);
  });

  it('health-url with https: the proxy serves plain HTTP on public-port, so neither check could pass', () => {
    for (const [publicPort, url] of [
      ['443', 'https://app.example.com/health'],
      ['80', 'https://localhost:80/health'],
    ]) {
      assertProblems({ ...blueGreen, 'public-port': publicPort, 'health-url': url }, [
        new RegExp(
          `^Invalid input 'health-url': it is https, but berth's proxy serves plain HTTP on public-port ${publicPort}\\. Expected an http:// URL of the public address, such as http://localhost:${publicPort}/health \\(TLS belongs in front of the proxy\\)\\.$`,
        ),
      ]);
    }
    assertProblems({ ...blueGreen, host: 'web1.example.com health-url=https://localhost/health' }, [
      /^Invalid input 'host' line 1 'health-url': it is https/,
    ]);
  });

  it('a host line’s health-url whose port is not public-port, named by its line', () => {
    const host = 'web1.example.com health-url=http://localhost:80/health\nweb2.example.com health-url=http://localhost:5001/health';
    assertProblems({ ...blueGreen, host }, [
      /^Invalid input 'host' line 2 'health-url': its port 5001 is not public-port 80\. Expected the public address/,
    ]);
    assert.equal(parse({ ...blueGreen, host: 'web1.example.com health-url=http://localhost/health' }).strategy.kind, 'blue-green');
  });

  it('every problem at once, with the other inputs’ problems too', () => {
    assertProblems(
      {
        ...blueGreen,
        port: '0',
        'public-port': '70000',
        'colour-ports': '5001',
        'proxy-image': '--privileged',
        'web-service': 'a b',
      },
      [
        /^Invalid input 'port': 0 is out of range/,
        /^Invalid input 'public-port': 70000 is out of range/,
        /^Invalid input 'colour-ports': "5001" is not two ports/,
        /^Invalid input 'proxy-image': "--privileged" is not an image reference/,
        /^Invalid input 'web-service': "a b" names 2 services/,
      ],
    );
  });
});
