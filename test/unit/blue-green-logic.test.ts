/**
 * The pure logic of strategy blue-green: the colours, their ports and upstreams, what the web service must
 * be for two copies to run at once, and the plan read from the record, the proxy and the containers.
 * Bridge networking (which the test bed cannot run) is covered here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ColourState,
  blueGreenProblems,
  colourEnv,
  colourPort,
  colourUrl,
  otherColour,
  upstreamOf,
} from '../../core/bluegreen/colours.js';
import { makesSameColour, planColours, recordOf, type WebService, webOfRecord } from '../../core/bluegreen/colour-plan.js';
import { servicesOfConfig } from '../../core/engine/web-service.js';
import type { ContainerState } from '../../core/health/containers.js';

const PORTS = [5001, 5002] as const;

/** The web service of a one-service Compose config (as `compose config` renders it). */
function web(service: string, usesBerthPort = false): WebService {
  const [config] = servicesOfConfig(`services:\n  web:\n${service}`);
  assert.ok(config);
  return { ...config, usesBerthPort, projectServices: ['web'] };
}

/** Host networking, listening on BERTH_PORT. */
const hostWeb = web(
  `    network_mode: host\n    environment:\n      PORT: '5001'\n    healthcheck:\n      test: [CMD, wget, -q, http://127.0.0.1:5001/health]\n`,
  true,
);
/** On the project's bridge network, its one port under expose: the common production case. */
const bridgeWeb = web(`    image: shop/web:1\n    expose:\n    - '3000'\n    networks:\n      default: null\n`);

describe('colours', () => {
  it('the other colour: green after blue, blue after green or none', () => {
    assert.equal(otherColour('blue'), 'green');
    assert.equal(otherColour('green'), 'blue');
    assert.equal(otherColour(undefined), 'blue');
  });

  it('host networking: each colour has its colour-ports entry, BERTH_PORT in its environment', () => {
    assert.equal(colourPort(hostWeb, 'blue', PORTS), 5001);
    assert.equal(colourPort(hostWeb, 'green', PORTS), 5002);
    assert.deepEqual(colourEnv(5002), { BERTH_PORT: '5002' });
  });

  it('bridge networking: both colours keep the container port', () => {
    assert.equal(colourPort(bridgeWeb, 'blue', PORTS), 3000);
    assert.equal(colourPort(bridgeWeb, 'green', PORTS), 3000);
  });

  it('the upstream: 127.0.0.1 for host networking, the container address for bridge, IPv6 in brackets', () => {
    assert.equal(upstreamOf(hostWeb, 5002, undefined), '127.0.0.1:5002');
    assert.equal(upstreamOf(hostWeb, 5002, '172.18.0.3'), '127.0.0.1:5002');
    assert.equal(upstreamOf(bridgeWeb, 3000, '172.18.0.3'), '172.18.0.3:3000');
    assert.equal(upstreamOf(bridgeWeb, 3000, 'fd00:db8::3'), '[fd00:db8::3]:3000');
  });

  it("the colour's health URL: the same path and query at the colour's own address", () => {
    const url = new URL('http://localhost/health?deep=1#x');
    assert.equal(colourUrl(url, '127.0.0.1:5002').href, 'http://127.0.0.1:5002/health?deep=1#x');
    assert.equal(colourUrl(new URL('http://app.example.com/health'), '172.18.0.3:3000').href, 'http://172.18.0.3:3000/health');
    assert.equal(colourUrl(new URL('http://localhost:8080/up'), '[fd00:db8::3]:3000').href, 'http://[fd00:db8::3]:3000/up');
    assert.equal(colourUrl(new URL('http://u:p@localhost:8080/up'), '127.0.0.1:5001').href, 'http://u:p@127.0.0.1:5001/up');
    // The public URL is not changed.
    assert.equal(url.href, 'http://localhost/health?deep=1#x');
  });
});

describe('blueGreenProblems', () => {
  it('none for a host-networked service on BERTH_PORT with a healthcheck', () => {
    assert.deepEqual(blueGreenProblems(hostWeb, false), []);
  });

  it('container_name: two copies cannot share one name', () => {
    assert.deepEqual(blueGreenProblems(web(`    container_name: shop-web\n    network_mode: host\n`, true), true), [
      `the web service 'web' sets container_name "shop-web": two copies cannot share one name. Remove container_name.`,
    ]);
  });

  it('host networking without BERTH_PORT: both colours would listen on one port', () => {
    assert.deepEqual(blueGreenProblems(web(`    network_mode: host\n`, false), true), [
      "the web service 'web' uses network_mode host but not BERTH_PORT: its two colours would listen on one port. Listen on ${BERTH_PORT:-5000} (in its environment or command, and its healthcheck).",
    ]);
  });

  it('bridge networking publishing a host port: a second copy cannot', () => {
    assert.deepEqual(blueGreenProblems(web(`    ports:\n    - 127.0.0.1:8080:80/tcp\n`), true), [
      "the web service 'web' publishes 127.0.0.1:8080 on the host: a second copy cannot. Remove its ports: the proxy publishes public-port.",
    ]);
  });

  it('bridge networking with no container port, or two', () => {
    assert.deepEqual(blueGreenProblems(web(`    image: app\n`), true), [
      "the web service 'web' declares no port: the proxy needs the one it listens on. Declare exactly one under expose.",
    ]);
    assert.deepEqual(blueGreenProblems(web(`    expose: ['3000', '9229']\n`), true), [
      "the web service 'web' declares ports 3000, 9229: the proxy needs the one it listens on. Declare exactly one under expose.",
    ]);
  });

  it('no health-url and the healthcheck turned off', () => {
    const noHealth =
      "the web service 'web' has no healthcheck and health-url is empty: berth could not tell when the new colour is ready, and would switch traffic to a version that may not answer. Set health-url, or give the service a healthcheck.";
    for (const off of ['    healthcheck:\n      disable: true\n', '    healthcheck:\n      test: ["NONE"]\n']) {
      const service = web(`${off}    network_mode: host\n`, true);
      assert.deepEqual(blueGreenProblems(service, false), [noHealth]);
      assert.deepEqual(blueGreenProblems(service, true), [], 'health-url is enough');
    }
  });

  it('no health-url and no healthcheck in Compose: a problem only when the image has none either (unknown: not yet)', () => {
    const unset = web(`    network_mode: host\n`, true);
    assert.equal(unset.healthcheck, 'unset');
    assert.equal(blueGreenProblems(unset, false, false).length, 1);
    assert.match(blueGreenProblems(unset, false, false)[0] ?? '', /has no healthcheck and health-url is empty/);
    assert.deepEqual(blueGreenProblems(unset, false, true), []);
    assert.deepEqual(blueGreenProblems(unset, false, undefined), []);
    assert.deepEqual(blueGreenProblems(unset, false), []);
    assert.deepEqual(blueGreenProblems(unset, true, false), []);
  });

  it('every problem at once', () => {
    const service = web(`    container_name: shop-web\n    ports: ['8080:3000', '9229:9229']\n    healthcheck:\n      disable: true\n`);
    assert.deepEqual(
      blueGreenProblems(service, false).map((line) => line.slice(0, 51)),
      [
        `the web service 'web' sets container_name "shop-web`,
        "the web service 'web' publishes 8080, 9229 on the h",
        "the web service 'web' declares ports 3000, 9229: th",
        "the web service 'web' has no healthcheck and health",
      ],
    );
  });
});

describe('bridge networking', () => {
  it('expose: ["3000"] → the colour port 3000, upstream <container ip>:3000, no problem', () => {
    const service = web(
      `    image: shop/web:1\n    expose: ["3000"]\n    healthcheck:\n      test: [CMD, wget, -q, http://127.0.0.1:3000/health]\n`,
    );
    assert.equal(service.hostNetwork, false);
    const port = colourPort(service, 'green', PORTS);
    assert.equal(port, 3000);
    assert.equal(upstreamOf(service, port, '172.18.0.4'), '172.18.0.4:3000');
    assert.equal(
      colourUrl(new URL('http://localhost:80/health'), upstreamOf(service, port, '172.18.0.4')).href,
      'http://172.18.0.4:3000/health',
    );
    assert.deepEqual(blueGreenProblems(service, false), []);
    assert.deepEqual(blueGreenProblems(service, true, false), []);
  });

  it('ports: ["8080:3000"] → the published-port problem only', () => {
    const service = web(`    image: shop/web:1\n    ports: ["8080:3000"]\n`);
    assert.equal(colourPort(service, 'blue', PORTS), 3000);
    assert.deepEqual(blueGreenProblems(service, true), [
      "the web service 'web' publishes 8080 on the host: a second copy cannot. Remove its ports: the proxy publishes public-port.",
    ]);
  });

  it('ports: ["3000"] (no host side) is as good as expose', () => {
    assert.deepEqual(blueGreenProblems(web(`    ports: ["3000"]\n    expose: ["3000"]\n`), true), []);
  });
});

const container = (id: string, service: string, state = 'running'): ContainerState => ({
  id,
  name: `shop-${service}-${id}`,
  service,
  project: 'shop',
  state,
  health: undefined,
  exitCode: 0,
  restartCount: 0,
  lastExitMs: undefined,
  restartPolicy: 'unless-stopped',
  image: `shop_${service}`,
  imageId: `sha256:${id}`,
  healthcheck: undefined,
});

describe('planColours', () => {
  const blueLive: ColourState = { service: 'web', live: { colour: 'blue', container: 'b1', upstream: '127.0.0.1:5001' } };
  const db = container('d1', 'db');
  const worker = container('w1', 'worker', 'exited');

  it('the record matches the proxy and a running container: that one is old, the other web containers leftovers, next the other colour', () => {
    const containers = [db, container('b1', 'web'), container('g0', 'web', 'exited'), container('g9', 'web'), worker];
    const plan = planColours(hostWeb, blueLive, '127.0.0.1:5001', containers, PORTS);
    assert.deepEqual(plan.live, blueLive.live);
    assert.equal(plan.liveUpstream, '127.0.0.1:5001');
    assert.deepEqual(
      plan.old.map((c) => c.id),
      ['b1'],
    );
    assert.deepEqual(
      plan.leftovers.map((c) => c.id),
      ['g0', 'g9'],
    );
    assert.equal(plan.next, 'green');
  });

  it('green live: next is blue', () => {
    const greenLive: ColourState = { service: 'web', live: { colour: 'green', container: 'g1', upstream: '127.0.0.1:5002' } };
    const plan = planColours(hostWeb, greenLive, '127.0.0.1:5002', [container('g1', 'web')], PORTS);
    assert.equal(plan.live?.colour, 'green');
    assert.equal(plan.next, 'blue');
  });

  it('the record does not match the proxy (state lost): every running web container old, stopped ones leftovers, next from the proxy port', () => {
    const containers = [container('x1', 'web'), container('x2', 'web', 'exited'), container('x3', 'web'), db, worker];
    for (const [upstream, next] of [
      ['127.0.0.1:5001', 'green'],
      ['127.0.0.1:5002', 'blue'],
      ['127.0.0.1:5000', 'blue'],
    ] as const) {
      const plan = planColours(hostWeb, blueLive, upstream, containers, PORTS);
      assert.equal(plan.live, undefined);
      assert.equal(plan.liveUpstream, upstream);
      assert.deepEqual(
        plan.old.map((c) => c.id),
        ['x1', 'x3'],
      );
      assert.deepEqual(
        plan.leftovers.map((c) => c.id),
        ['x2'],
      );
      assert.equal(plan.next, next, upstream);
    }
  });

  it('no record at all, the proxy on green: next blue', () => {
    const plan = planColours(hostWeb, undefined, '127.0.0.1:5002', [container('x1', 'web')], PORTS);
    assert.equal(plan.live, undefined);
    assert.deepEqual(
      plan.old.map((c) => c.id),
      ['x1'],
    );
    assert.equal(plan.next, 'blue');
  });

  it('the recorded container is no longer running: the record is not trusted', () => {
    const plan = planColours(hostWeb, blueLive, '127.0.0.1:5001', [container('b1', 'web', 'exited')], PORTS);
    assert.equal(plan.live, undefined);
    assert.deepEqual(plan.old, []);
    assert.deepEqual(
      plan.leftovers.map((c) => c.id),
      ['b1'],
    );
    assert.equal(plan.next, 'green');
  });

  it('a record for another service (web-service changed) is not trusted', () => {
    const record: ColourState = { service: 'api', live: { colour: 'green', container: 'b1', upstream: '127.0.0.1:5001' } };
    const plan = planColours(hostWeb, record, '127.0.0.1:5001', [container('b1', 'web')], PORTS);
    assert.equal(plan.live, undefined);
    assert.equal(plan.next, 'green');
  });

  it('no proxy route at all (the proxy lost its config) while the recorded colour runs: the record counts, next is the other colour', () => {
    const record = { colour: 'blue', container: 'b1', upstream: '127.0.0.1:5001' } as const;
    const plan = planColours(hostWeb, { service: 'web', live: record }, undefined, [container('b1', 'web')], PORTS);
    assert.deepEqual(plan.live, record);
    assert.equal(plan.liveUpstream, undefined);
    assert.equal(plan.next, 'green', 'blue still runs on 5001: starting blue again would clash with it');
  });

  it('no proxy route and no record: every running web container is old, next blue', () => {
    const plan = planColours(hostWeb, undefined, undefined, [container('b1', 'web')], PORTS);
    assert.equal(plan.live, undefined);
    assert.equal(plan.liveUpstream, undefined);
    assert.deepEqual(
      plan.old.map((c) => c.id),
      ['b1'],
    );
    assert.equal(plan.next, 'blue');
    assert.equal(planColours(hostWeb, undefined, undefined, [], PORTS).next, 'blue');
  });

  it("other services' containers are never counted", () => {
    const plan = planColours(hostWeb, undefined, undefined, [db, worker, container('c1', 'cache', 'exited')], PORTS);
    assert.deepEqual(plan.old, []);
    assert.deepEqual(plan.leftovers, []);
  });

  it('bridge networking: the record decides; without it the next colour is blue (both colours share the container port)', () => {
    const record: ColourState = { service: 'web', live: { colour: 'blue', container: 'b1', upstream: '172.18.0.3:3000' } };
    const containers = [container('b1', 'web')];
    assert.equal(planColours(bridgeWeb, record, '172.18.0.3:3000', containers, PORTS).next, 'green');
    const lost = planColours(bridgeWeb, undefined, '172.18.0.3:3000', containers, PORTS);
    assert.equal(lost.next, 'blue');
    assert.deepEqual(
      lost.old.map((c) => c.id),
      ['b1'],
    );
  });
});

describe('what the state file records of the web service', () => {
  it('is what making its next colour depends on, and is read back into a web service', () => {
    const record = recordOf({ ...hostWeb, projectServices: ['web', 'worker'] });
    assert.deepEqual(record, { name: 'web', hostNetwork: true, containerPorts: [], projectServices: ['web', 'worker'] });
    const back = webOfRecord(record);
    assert.equal(back.name, 'web');
    assert.equal(back.hostNetwork, true);
    assert.deepEqual(back.projectServices, ['web', 'worker']);
  });

  it('makes the same colour while name, network, port and services stay; else the colour is made again', () => {
    const record = recordOf(hostWeb);
    assert.equal(makesSameColour(record, hostWeb), true);
    // A changed command or healthcheck does not matter: Compose makes the colour from the new commit's files.
    assert.equal(makesSameColour(record, { ...hostWeb, rendered: 'other' }), true);
    assert.equal(makesSameColour(record, { ...hostWeb, name: 'app' }), false);
    assert.equal(makesSameColour(record, { ...hostWeb, hostNetwork: false }), false);
    assert.equal(makesSameColour(record, { ...hostWeb, projectServices: ['web', 'db'] }), false);
    assert.equal(makesSameColour(recordOf(bridgeWeb), bridgeWeb), true);
    assert.equal(makesSameColour(recordOf(bridgeWeb), { ...bridgeWeb, containerPorts: [8080] }), false);
  });

  it('a state file whose record is not one keeps its live colour and drops the record', async () => {
    const { ColourStateFile } = await import('../../core/bluegreen/colour-state.js');
    const live = { colour: 'blue', container: 'c1', upstream: '127.0.0.1:5001' };
    const file = (text: string) =>
      new ColourStateFile(
        {
          where: 'here',
          run: async () => ({ code: 0, signal: null, stdout: text, stderr: '', durationMs: 0 }),
          openTcp: () => Promise.reject(new Error('no')),
          close: async () => {},
        },
        '/x',
      );
    const good = { service: 'web', live, web: { name: 'web', hostNetwork: true, containerPorts: [], projectServices: ['web'] } };
    assert.deepEqual(await file(JSON.stringify(good)).read(), good);
    assert.deepEqual(await file(JSON.stringify({ ...good, web: { name: 'web' } })).read(), { service: 'web', live });
    // Names that would be options on Compose's command line are no record.
    const option = { ...good.web, name: '--privileged' };
    assert.deepEqual(await file(JSON.stringify({ ...good, web: option })).read(), { service: 'web', live });
    const services = { ...good.web, projectServices: ['web', '-d'] };
    assert.deepEqual(await file(JSON.stringify({ ...good, web: services })).read(), { service: 'web', live });
  });
});
