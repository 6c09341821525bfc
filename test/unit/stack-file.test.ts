import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { builtImage, imageRepository, renderStack } from '../../core/swarm/stack-file.js';

const COMMIT = '3f2c1ab09d4e5566778899aabbccddeeff001122';

/** `docker-compose config` (v1) output for a built web service and a database from a registry. */
const V1_CONFIG = `networks:
  hostnet:
    external: true
    name: host
services:
  db:
    image: postgres:16
    networks:
      hostnet: null
  web:
    build:
      context: /srv/shop
    depends_on:
    - db
    deploy:
      update_config:
        failure_action: rollback
        order: start-first
    environment:
      PORT: '5000'
    healthcheck:
      test:
      - CMD-SHELL
      - wget -q -O /dev/null http://127.0.0.1:$\${PORT}/health
    image: acme/web:latest
    networks:
      hostnet: null
version: '3.8'
`;

/** What \`docker compose config\` (v2) writes that the stack format does not take. */
const V2_CONFIG = `name: shop
services:
  web:
    build:
      context: /srv/shop
      dockerfile: Dockerfile
    depends_on:
      db:
        condition: service_started
        required: true
    ports:
      - mode: ingress
        target: 80
        published: "8080"
        protocol: tcp
  db:
    image: postgres:16
`;

describe('the stack file', () => {
  it('tags each built service per commit and drops build from what stack deploy reads', () => {
    const rendered = renderStack(V1_CONFIG, { stack: 'shop', commit: COMMIT, registry: undefined });
    assert.deepEqual(rendered.built, { web: 'acme/web:3f2c1ab09d4e' });
    assert.deepEqual(rendered.images, { db: 'postgres:16', web: 'acme/web:3f2c1ab09d4e' });
    const stack = parse(rendered.stackFile);
    assert.equal(stack.version, '3.8');
    assert.equal(stack.services.web.image, 'acme/web:3f2c1ab09d4e');
    assert.equal(stack.services.web.build, undefined);
    assert.deepEqual(stack.services.web.depends_on, ['db']);
    assert.deepEqual(stack.networks, { hostnet: { external: true, name: 'host' } });
    assert.equal(stack.services.web.deploy.update_config.order, 'start-first');
    // Escaped dollars stay escaped: stack deploy turns $$ into $ as Compose does.
    assert.match(rendered.stackFile, /\$\$\{PORT\}/);
  });

  it('keeps build in the file Compose builds from, with the same tags, and every service for depends_on', () => {
    const rendered = renderStack(V1_CONFIG, { stack: 'shop', commit: COMMIT, registry: undefined });
    const build = parse(rendered.buildFile ?? '');
    assert.deepEqual(build.services.web.build, { context: '/srv/shop' });
    assert.equal(build.services.web.image, 'acme/web:3f2c1ab09d4e');
    assert.equal(build.services.db.image, 'postgres:16');
  });

  it('names images after the registry when pushing, else the stack and service', () => {
    const naming = { stack: 'shop', commit: COMMIT, registry: 'registry.example.com:5000/team' };
    assert.equal(builtImage(naming, 'web', 'acme/web:latest'), 'registry.example.com:5000/team/shop-web:3f2c1ab09d4e');
    assert.equal(builtImage({ ...naming, registry: undefined }, 'Web.API', undefined), 'shop-web.api:3f2c1ab09d4e');
    assert.equal(imageRepository('ghcr.io:443/acme/web:1.2@sha256:abc'), 'ghcr.io:443/acme/web');
    assert.equal(imageRepository('localhost:5000/web'), 'localhost:5000/web');
  });

  it('rewrites what Compose v2 writes into the form stack deploy reads', () => {
    const rendered = renderStack(V2_CONFIG, { stack: 'shop', commit: COMMIT, registry: undefined });
    const stack = parse(rendered.stackFile);
    assert.equal(stack.name, undefined);
    assert.deepEqual(stack.services.web.depends_on, ['db']);
    assert.deepEqual(stack.services.web.ports, [{ mode: 'ingress', target: 80, published: 8080, protocol: 'tcp' }]);
    assert.equal(stack.services.web.image, 'shop-web:3f2c1ab09d4e');
  });

  it('needs nothing built when every service names an image', () => {
    const rendered = renderStack('services:\n  web:\n    image: nginx:1.27\n', { stack: 's', commit: COMMIT, registry: undefined });
    assert.equal(rendered.buildFile, undefined);
    assert.deepEqual(rendered.built, {});
  });

  it('refuses a config with no services, a service with neither image nor build, and broken YAML', () => {
    const naming = { stack: 's', commit: COMMIT, registry: undefined };
    assert.throws(() => renderStack('version: "3.8"\n', naming), /defines no services/);
    assert.throws(
      () => renderStack('services:\n  web:\n    command: x\n  api: {}\n', naming),
      /web, api have neither an image nor a build/,
    );
    assert.throws(() => renderStack('services: [\n', naming), /not valid YAML/);
  });
});
