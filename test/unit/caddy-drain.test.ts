/** The Caddy JSON berth writes for an app's server, and what it reads back from it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appServer, liveUpstream, type RawConfig } from '../../core/proxy/caddy-config.js';

const config = (server: object): RawConfig => ({ apps: { http: { servers: { 'berth-app': server } } } }) as RawConfig;

describe('caddy config of an app', () => {
  it('while the old colour drains, a route no request matches keeps it in Caddy’s count; the live upstream is the other', () => {
    const server = appServer(8080, '127.0.0.1:5002', '127.0.0.1:5001');
    assert.deepEqual(server.routes[0], {
      match: [{ expression: 'false' }],
      handle: [{ handler: 'reverse_proxy', upstreams: [{ dial: '127.0.0.1:5001' }] }],
    });
    assert.equal(server.routes.length, 2);
    assert.equal(liveUpstream(config(server), 'berth-app'), '127.0.0.1:5002');
  });

  it('without a draining colour (or the same one), one route to the live upstream', () => {
    for (const server of [appServer(8080, '127.0.0.1:5002'), appServer(8080, '127.0.0.1:5002', '127.0.0.1:5002')]) {
      assert.equal(server.routes.length, 1);
      assert.equal(server.routes[0]?.match, undefined);
      assert.equal(liveUpstream(config(server), 'berth-app'), '127.0.0.1:5002');
    }
  });
});
