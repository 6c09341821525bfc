/** The web service, read from Compose's rendered config: what berth reads of each service, and which one it picks. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../../core/errors.js';
import {
  findWebService,
  namesPort,
  pickWebService,
  probePortNow,
  type ServiceConfig,
  servicesOfConfig,
} from '../../core/engine/web-service.js';

/** `docker-compose config` (1.29) output, verbatim: short port syntax kept, `- "9000"` turned long, `disable: true` turned NONE. */
const V1_CONFIG = `services:
  api:
    container_name: shop-api
    environment:
      PORT: '5000'
    healthcheck:
      test:
      - NONE
    image: shop/api
    network_mode: host
  db:
    image: postgres:16
  web:
    expose:
    - '4000'
    - 4000/udp
    healthcheck:
      interval: 2s
      test:
      - CMD
      - wget
      - -qO-
      - http://localhost:80/health
    image: shop/web:1
    ports:
    - 127.0.0.1:8080:80/tcp
    - target: 9000
    - protocol: tcp
      published: 3001
      target: 3000
  worker:
    build:
      context: /srv/shop
    healthcheck:
      test:
      - NONE
version: '3.9'
`;

/** `docker compose config` (v2) style: every port in long syntax, published as a string, `disable: true` kept. */
const V2_CONFIG = `name: shop
services:
  web:
    build:
      context: /srv/shop
      dockerfile: Dockerfile
    expose:
      - "3000"
    healthcheck:
      test:
        - CMD-SHELL
        - wget -q -O /dev/null http://127.0.0.1:3000/health
    networks:
      default: null
    ports:
      - mode: ingress
        host_ip: 127.0.0.1
        target: 3000
        published: "8080"
        protocol: tcp
      - mode: ingress
        target: 9229
        protocol: tcp
  cache:
    healthcheck:
      disable: true
    image: redis:7
    networks:
      default: null
  cron:
    healthcheck:
      test: NONE
    image: shop/cron
networks:
  default:
    name: shop_default
`;

const byName = (yaml: string): Record<string, ServiceConfig> => Object.fromEntries(servicesOfConfig(yaml).map((s) => [s.name, s]));

describe('servicesOfConfig', () => {
  it('reads Compose v1 output: short and long ports, expose, healthcheck, image, host network, container_name', () => {
    const services = servicesOfConfig(V1_CONFIG);
    assert.deepEqual(
      services.map((s) => s.name),
      ['api', 'db', 'web', 'worker'],
    );
    const { api, db, web, worker } = byName(V1_CONFIG);
    assert.deepEqual(
      { ...web, rendered: undefined },
      {
        name: 'web',
        hostNetwork: false,
        containerName: undefined,
        published: ['127.0.0.1:8080', '3001'],
        containerPorts: [80, 9000, 3000, 4000],
        healthcheck: 'set',
        image: 'shop/web:1',
        rendered: undefined,
      },
    );
    assert.deepEqual(
      { ...api, rendered: undefined },
      {
        name: 'api',
        hostNetwork: true,
        containerName: 'shop-api',
        published: [],
        containerPorts: [],
        healthcheck: 'disabled',
        image: 'shop/api',
        rendered: undefined,
      },
    );
    assert.equal(db?.healthcheck, 'unset');
    assert.equal(db?.image, 'postgres:16');
    assert.deepEqual(db?.containerPorts, []);
    assert.equal(worker?.healthcheck, 'disabled');
    assert.equal(worker?.image, undefined);
  });

  it('reads Compose v2 output: long ports with host_ip and a string published, no published side, disable: true, test: NONE', () => {
    const { web, cache, cron } = byName(V2_CONFIG);
    assert.deepEqual(web?.published, ['8080']);
    assert.deepEqual(web?.containerPorts, [3000, 9229]);
    assert.equal(web?.healthcheck, 'set');
    assert.equal(web?.hostNetwork, false);
    assert.equal(cache?.healthcheck, 'disabled');
    assert.equal(cron?.healthcheck, 'disabled');
  });

  it('reads the short forms one by one', () => {
    const one = (ports: string): ServiceConfig => {
      const [service] = servicesOfConfig(`services:\n  web:\n    ports:\n${ports}`);
      assert.ok(service);
      return service;
    };
    assert.deepEqual(one('    - "127.0.0.1:8080:80/tcp"\n').published, ['127.0.0.1:8080']);
    assert.deepEqual(one('    - "127.0.0.1:8080:80/tcp"\n').containerPorts, [80]);
    assert.deepEqual(one('    - "8080:80"\n').published, ['8080']);
    assert.deepEqual(one('    - 80\n').published, []);
    assert.deepEqual(one('    - 80\n').containerPorts, [80]);
    assert.deepEqual(one('    - "53:53/udp"\n    - "53:53"\n').containerPorts, [53]);
    assert.deepEqual(one('    - target: "3000"\n      published: ""\n').published, []);
    assert.deepEqual(one('    - target: "3000"\n      published: ""\n').containerPorts, [3000]);
  });

  it('tells a healthcheck set, turned off, or not in Compose', () => {
    const check = (healthcheck: string): ServiceConfig['healthcheck'] =>
      servicesOfConfig(`services:\n  web:\n    image: app\n${healthcheck}`)[0]?.healthcheck ?? assert.fail('no service');
    assert.equal(check('    healthcheck:\n      test: ["CMD", "true"]\n'), 'set');
    assert.equal(check('    healthcheck:\n      test: curl -f http://localhost/\n'), 'set');
    assert.equal(check('    healthcheck:\n      disable: true\n'), 'disabled');
    assert.equal(check('    healthcheck:\n      test: ["NONE"]\n'), 'disabled');
    assert.equal(check('    healthcheck:\n      test: NONE\n'), 'disabled');
    // Only the timing changed: the image's own test (if any) still runs.
    assert.equal(check('    healthcheck:\n      interval: 2s\n'), 'unset');
    assert.equal(check(''), 'unset');
  });

  it('an empty config, or one with no services, has none', () => {
    assert.deepEqual(servicesOfConfig(''), []);
    assert.deepEqual(servicesOfConfig('version: "3.9"\n'), []);
    assert.deepEqual(servicesOfConfig('services:\n  web:\n')[0]?.published, []);
  });
});

const services = (yaml: string): ServiceConfig[] => servicesOfConfig(yaml);
const none = (): boolean => false;
const WHERE = 'in /srv/shop on example.com';

function inputError(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof InputError, String(error));
    return error;
  }
  assert.fail('expected an InputError');
}

describe('pickWebService', () => {
  const all = services(V1_CONFIG);

  it('finds the service web-service names', () => {
    assert.equal(pickWebService(all, 'db', none, WHERE).name, 'db');
  });

  it('web-service naming no service of the project: an InputError naming web-service and the services there are', () => {
    const error = inputError(() => pickWebService(all, 'frontend', none, WHERE));
    assert.equal(
      error.message,
      `Invalid input 'web-service': "frontend" is not a service of the Compose project in /srv/shop on example.com. Expected one of: api, db, web, worker.`,
    );
    assert.equal(error.hint, 'Nothing was changed on the server.');
    assert.match(inputError(() => pickWebService([], 'web', none, WHERE)).message, /Expected one of: \(none\)\.$/);
  });

  it('without web-service: the one service that publishes or exposes a port, or uses BERTH_PORT', () => {
    const webAndDb = services('services:\n  web:\n    expose: ["3000"]\n  db:\n    image: postgres:16\n');
    assert.equal(pickWebService(webAndDb, undefined, none, WHERE).name, 'web');
    const published = services('services:\n  db:\n    image: postgres:16\n  web:\n    ports: ["8080:3000"]\n');
    assert.equal(pickWebService(published, undefined, none, WHERE).name, 'web');
    const hostNet = services('services:\n  worker:\n    network_mode: host\n  web:\n    network_mode: host\n');
    assert.equal(pickWebService(hostNet, undefined, (s) => s === 'web', WHERE).name, 'web');
  });

  it("without web-service: the project's only service, even one that shows no port (the example app's)", () => {
    assert.equal(pickWebService(services('services:\n  app:\n    network_mode: host\n'), undefined, none, WHERE).name, 'app');
  });

  it('without web-service, no candidate: an InputError asking for web-service', () => {
    const error = inputError(() =>
      pickWebService(services('services:\n  worker:\n    image: w\n  db:\n    image: d\n'), undefined, none, WHERE),
    );
    assert.equal(
      error.message,
      "Missing input 'web-service': berth cannot tell which service of the Compose project in /srv/shop on example.com serves the app (no service publishes or exposes a port or uses BERTH_PORT). Expected one of: worker, db.",
    );
    assert.match(error.hint ?? '', /Set web-service to the service behind the proxy/);
  });

  it('without web-service, several candidates: an InputError naming them', () => {
    const error = inputError(() => pickWebService(all, undefined, (s) => s === 'api', WHERE));
    assert.match(
      error.message,
      /^Missing input 'web-service': .* \(api, web all publish or expose a port or use BERTH_PORT\)\. Expected one of: api, db, web, worker\.$/,
    );
  });
});

describe('findWebService', () => {
  /** A host-networked web service on BERTH_PORT, a worker, and a database that exposes its port: as `docker-compose config` renders them. */
  const render = (env: Readonly<Record<string, string>>): Promise<string> => {
    const port = env.BERTH_PORT ?? '5000';
    return Promise.resolve(`services:
  db:
    expose:
    - '5432'
    healthcheck:
      test:
      - NONE
    image: postgres:16
  web:
    build:
      context: /srv/shop
    command:
    - httpd
    - -f
    - -p
    - '${port}'
    healthcheck:
      interval: 1s
      test:
      - CMD
      - wget
      - -q
      - -O
      - /dev/null
      - http://127.0.0.1:${port}/health
    network_mode: host
  worker:
    command:
    - sleep
    - infinity
    image: berth-example/busybox:latest
    network_mode: host
version: '3.9'
`);
  };

  it('renders once, with BERTH_PORT the probe port, and tells the service whose config names it', async () => {
    const asked: string[] = [];
    const web = await findWebService(
      (env) => {
        asked.push(JSON.stringify(env));
        return render(env);
      },
      'web',
      WHERE,
      46001,
    );
    assert.deepEqual(asked, ['{"BERTH_PORT":"46001"}']);
    assert.equal(web.name, 'web');
    assert.equal(web.hostNetwork, true);
    assert.equal(web.usesBerthPort, true);
    assert.match(web.rendered, /46001/);
  });

  it('the probe port counts only as a number of its own, and is drawn in 40000–59999', () => {
    assert.equal(namesPort('"-p","46001"', 46001), true);
    assert.equal(namesPort('http://127.0.0.1:46001/health', 46001), true);
    assert.equal(namesPort('"146001"', 46001), false);
    assert.equal(namesPort('"460012"', 46001), false);
    assert.equal(
      probePortNow(() => 0),
      40000,
    );
    assert.equal(
      probePortNow(() => 0.99999),
      59999,
    );
  });

  it('a service the port does not change does not use BERTH_PORT', async () => {
    assert.equal((await findWebService(render, 'worker', WHERE)).usesBerthPort, false);
    assert.equal((await findWebService(render, 'db', WHERE)).usesBerthPort, false);
  });

  it('without web-service, the BERTH_PORT user and the exposing database are both candidates: an InputError', async () => {
    await assert.rejects(findWebService(render, undefined, WHERE), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, /\(db, web all publish or expose a port or use BERTH_PORT\)/);
      return true;
    });
  });

  it('without web-service, the one service that uses BERTH_PORT', async () => {
    const noDb = async (env: Readonly<Record<string, string>>): Promise<string> =>
      (await render(env)).replace(/ {4}expose:\n {4}- '5432'\n/, '');
    const web = await findWebService(noDb, undefined, WHERE);
    assert.equal(web.name, 'web');
    assert.equal(web.usesBerthPort, true);
  });
});
