/**
 * berth's proxy: the Caddy JSON it writes and reads back, the proxy container's command lines, the
 * listening ports read from /proc/net/tcp{,6}, and the Compose lines that start a colour beside the live one.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { describe, it } from 'node:test';
import { type ComposeProject, composeCommands } from '../../core/commands/compose.js';
import { containerCommands, listeningPorts, portCommands, PROXY_CONTAINER, proxyCommands } from '../../core/commands/proxy.js';
import { runChecked } from '../../core/exec/executor.js';
import { LocalExecutor } from '../../core/exec/local-executor.js';
import { shellJoin } from '../../core/exec/shell.js';
import {
  appServer,
  inFlight,
  liveUpstream,
  type RawConfig,
  serverName,
  serversOnPort,
  withHttpApp,
} from '../../core/proxy/caddy-config.js';

describe('Caddy config', () => {
  it("one app's server: the public port, plain HTTP, everything proxied to the live colour, retried while it restarts", () => {
    assert.equal(serverName('shop'), 'berth-shop');
    assert.deepEqual(JSON.parse(JSON.stringify(appServer(80, '127.0.0.1:5002'))), {
      listen: [':80'],
      automatic_https: { disable: true },
      routes: [
        {
          handle: [
            {
              handler: 'reverse_proxy',
              upstreams: [{ dial: '127.0.0.1:5002' }],
              load_balancing: { try_duration: '2s', try_interval: '100ms' },
            },
          ],
        },
      ],
    });
  });

  /** What GET /config/ returns with two apps behind the proxy and a server someone else added. */
  const config: RawConfig = {
    admin: { listen: 'localhost:2019' },
    apps: {
      http: {
        servers: {
          'berth-shop': appServer(80, '127.0.0.1:5001') as never,
          'berth-blog': appServer(8080, '[fd00:db8::3]:3000') as never,
          static: { listen: ['127.0.0.1:8080'], routes: [{ handle: [{ handler: 'file_server' }] }] },
        },
      },
      tls: { automation: {} },
    },
  } as RawConfig;

  it('reads the live upstream of an app, and none when the app or the proxy has no route', () => {
    assert.equal(liveUpstream(config, 'berth-shop'), '127.0.0.1:5001');
    assert.equal(liveUpstream(config, 'berth-blog'), '[fd00:db8::3]:3000');
    assert.equal(liveUpstream(config, 'static'), undefined);
    assert.equal(liveUpstream(config, 'berth-nope'), undefined);
    assert.equal(liveUpstream(null, 'berth-shop'), undefined);
    assert.equal(liveUpstream({}, 'berth-shop'), undefined);
    assert.equal(liveUpstream({ apps: { http: { servers: { 'berth-shop': { listen: [':80'], routes: [] } } } } }, 'berth-shop'), undefined);
  });

  it('lists the other servers on a port (not the app itself, not a port that only ends the same)', () => {
    assert.deepEqual(serversOnPort(config, 8080, 'berth-shop'), ['berth-blog', 'static']);
    assert.deepEqual(serversOnPort(config, 8080, 'berth-blog'), ['static']);
    assert.deepEqual(serversOnPort(config, 80, 'berth-shop'), []);
    assert.deepEqual(serversOnPort(config, 80, 'berth-other'), ['berth-shop']);
    assert.deepEqual(serversOnPort(config, 8081, 'x'), []);
    assert.deepEqual(serversOnPort(null, 80, 'x'), []);
  });

  it('adds an empty http app, keeping everything else in the config', () => {
    assert.deepEqual(withHttpApp(null), { apps: { http: { servers: {} } } });
    assert.deepEqual(withHttpApp({ admin: { listen: 'localhost:2019' } } as RawConfig), {
      admin: { listen: 'localhost:2019' },
      apps: { http: { servers: {} } },
    });
    assert.deepEqual(withHttpApp(config), config);
    const noServers = { apps: { http: { grace_period: '10s' }, tls: {} } } as RawConfig;
    assert.deepEqual(withHttpApp(noServers), { apps: { http: { grace_period: '10s', servers: {} }, tls: {} } });
  });

  it('counts the requests in flight to an upstream from GET /reverse_proxy/upstreams', () => {
    const upstreams = [
      { address: '127.0.0.1:5001', num_requests: 2, fails: 0 },
      { address: '127.0.0.1:5002', num_requests: 0, fails: 0 },
      { address: '127.0.0.1:5003', fails: 0 },
    ];
    assert.equal(inFlight(upstreams, '127.0.0.1:5001'), 2);
    assert.equal(inFlight(upstreams, '127.0.0.1:5002'), 0);
    assert.equal(inFlight(upstreams, '127.0.0.1:5003'), 0);
    assert.equal(inFlight(upstreams, '127.0.0.1:5004'), 0, 'no longer listed: drained');
    assert.equal(inFlight(null, '127.0.0.1:5001'), 0);
    assert.equal(inFlight({ error: 'x' }, '127.0.0.1:5001'), 0);
  });
});

describe('proxy command lines', () => {
  it('runs Caddy on the host network, restarted after a crash or a reboot, resuming its last config', () => {
    assert.equal(PROXY_CONTAINER, 'berth-proxy');
    assert.deepEqual(proxyCommands.run('caddy:2.6'), [
      'docker',
      'run',
      '--detach',
      '--name',
      'berth-proxy',
      '--network',
      'host',
      '--restart',
      'unless-stopped',
      '--env',
      'XDG_CONFIG_HOME=/config',
      '--env',
      'XDG_DATA_HOME=/data',
      '--volume',
      'berth-proxy-config:/config',
      '--volume',
      'berth-proxy-data:/data',
      '--label',
      'berth.proxy=caddy',
      'caddy:2.6',
      'caddy',
      'run',
      '--resume',
    ]);
    assert.equal(
      shellJoin(proxyCommands.run('registry.example.com:5000/team/caddy@sha256:0123abcd')),
      'docker run --detach --name berth-proxy --network host --restart unless-stopped --env XDG_CONFIG_HOME=/config --env XDG_DATA_HOME=/data --volume berth-proxy-config:/config --volume berth-proxy-data:/data --label berth.proxy=caddy registry.example.com:5000/team/caddy@sha256:0123abcd caddy run --resume',
    );
  });

  it('reads, starts and tails the proxy container', () => {
    assert.equal(
      shellJoin(proxyCommands.state()),
      "docker inspect --type container --format '{{.State.Status}} {{.Config.Image}}' berth-proxy",
    );
    assert.equal(shellJoin(proxyCommands.start()), 'docker start berth-proxy');
    assert.equal(shellJoin(proxyCommands.logs(50)), 'docker logs --tail 50 berth-proxy');
  });

  it("stops, removes, locates and tails a colour's container", () => {
    assert.equal(shellJoin(containerCommands.stop('abc123', 10)), 'docker stop --time 10 abc123');
    assert.equal(shellJoin(containerCommands.remove('abc123')), 'docker rm --force abc123');
    assert.equal(
      shellJoin(containerCommands.addresses('abc123')),
      `docker inspect --format '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{"\\n"}}{{end}}' abc123`,
    );
  });
});

describe('listening ports', () => {
  /** Lines from this machine's /proc/net/tcp and tcp6: the header, listening (0A), TIME_WAIT (06) and ESTABLISHED (01) sockets. */
  const PROC_NET_TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:916B 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 10999699 1 00000000b022f7c6 100 0 0 10 0
   1: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 11251464 1 00000000a5170009 100 0 0 10 0
  16: 0100007F:9499 0100007F:EB82 06 00000000:00000000 03:00000DD5 00000000     0        0 0 3 00000000fd0d5e62
  17: 0100007F:138A 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 11002438 1 0000000085aab55e 20 4 30 10 -1
  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:8C93 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 11269287 1 00000000e57376bf 100 0 0 10 0
   1: 00000000000000000000000001000000:1389 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 11253784 1 00000000174973f0 100 0 0 10 0
   2: 00000000000000000000000001000000:1F90 00000000000000000000000001000000:D431 01 00000000:00000000 00:00000000 00000000     0        0 11253785 1 00000000174973f1 20 4 30 10 -1
`;

  it('reads only listening sockets (state 0A), ports in hex, IPv4 and IPv6', () => {
    // 0x916B 37227, 0x0050 80, 0x8C93 35987, 0x1389 5001; 0x9499, 0x138A and 0x1F90 are not listening.
    assert.deepEqual(
      [...listeningPorts(PROC_NET_TCP)].sort((a, b) => a - b),
      [80, 5001, 35987, 37227],
    );
    assert.deepEqual([...listeningPorts('')], []);
  });

  it("reads both files, and this machine's own listeners from them", async () => {
    assert.equal(
      shellJoin(portCommands.sockets()),
      `sh -c 'cat -- "$1" && { cat -- "$2" 2>/dev/null || true; }' berth-sockets /proc/net/tcp /proc/net/tcp6`,
    );
    const servers: Server[] = [];
    const listen = (host: string): Promise<number> =>
      new Promise((resolve) => {
        const server = createServer().listen(0, host, () => resolve((server.address() as { port: number }).port));
        servers.push(server);
      });
    try {
      const [v4, v6] = [await listen('127.0.0.1'), await listen('::1')];
      const { stdout } = await runChecked(new LocalExecutor(), portCommands.sockets());
      const ports = listeningPorts(stdout);
      assert.ok(ports.has(v4), `127.0.0.1:${v4}`);
      assert.ok(ports.has(v6), `[::1]:${v6}`);
    } finally {
      for (const server of servers) server.close();
    }
  });

  it('a kernel booted without IPv6 (no /proc/net/tcp6) still gives the IPv4 sockets; no /proc/net/tcp fails', async () => {
    const argv = portCommands.sockets();
    assert.deepEqual(argv.slice(-2), ['/proc/net/tcp', '/proc/net/tcp6']);
    const local = new LocalExecutor();
    const noTcp6 = await local.run([...argv.slice(0, -1), '/proc/net/berth-no-such-file']);
    assert.equal(noTcp6.code, 0, noTcp6.stderr);
    assert.match(noTcp6.stdout, /^ +sl +local_address/);
    assert.equal(noTcp6.stderr, '');
    const noTcp = await local.run([...argv.slice(0, -2), '/proc/net/berth-no-such-file', '/proc/net/tcp6']);
    assert.notEqual(noTcp.code, 0);
  });
});

describe('Compose lines that start a colour', () => {
  const v2: ComposeProject = { flavor: 'v2', path: '/srv/shop', files: ['compose.yml'], projectName: 'shop' };
  const v1: ComposeProject = { flavor: 'v1', path: '/srv/shop', files: [], projectName: undefined };

  it('updates the other services only, from built images, none they depend on', () => {
    assert.equal(
      shellJoin(composeCommands.upOnly(v2, ['worker', 'db'])),
      'docker compose --file compose.yml --project-name shop up --detach --no-build --no-deps worker db',
    );
    assert.equal(shellJoin(composeCommands.upOnly(v1, ['worker'])), 'docker-compose up --detach --no-build --no-deps worker');
  });

  it('starts one more container of the web service beside those running, recreating none', () => {
    assert.equal(
      shellJoin(composeCommands.startBeside(v2, 'web', 2)),
      'docker compose --file compose.yml --project-name shop up --detach --no-build --no-deps --no-recreate --scale web=2 web',
    );
    assert.equal(
      shellJoin(composeCommands.startBeside(v1, 'web', 1)),
      'docker-compose up --detach --no-build --no-deps --no-recreate --scale web=1 web',
    );
  });

  it('builds the web service and creates its next colour without starting it (a rollback: from kept images)', () => {
    assert.equal(
      shellJoin(composeCommands.createBeside(v2, 'web', 2)),
      'docker compose --file compose.yml --project-name shop up --no-start --build --no-deps --no-recreate --scale web=2 web',
    );
    assert.equal(
      shellJoin(composeCommands.createBeside(v1, 'web', 2, false)),
      'docker-compose up --no-start --no-build --no-deps --no-recreate --scale web=2 web',
    );
    assert.equal(shellJoin(composeCommands.build(v1, ['worker', 'db'])), 'docker-compose build worker db');
    assert.equal(shellJoin(containerCommands.start('c0ffee')), 'docker start c0ffee');
  });
});
