import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseConfig } from '../../server/config/load-config.js';

const env = { APP_DATABASE_URL: 'postgres://app:s3cret@db.internal:5432/app', BERTH_API_TOKEN: 'a'.repeat(32) };

const full = `
port: 9090
api-token: \${BERTH_API_TOKEN}
storage:
  url: postgres://berth:pw@localhost/berth
backups:
  - name: app
    database-url: \${APP_DATABASE_URL}
    schedule: "30 2 * * *"
    timezone: Europe/Kyiv
    dir: /var/backups/app
    keep-days: 14
    keep-min: 5
  - name: shop
    compose: { path: /srv/shop, service: db, database: shop, user: shop }
`;

function problems(text: string, vars: Record<string, string> = env): string {
  try {
    parseConfig(text, vars);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.message;
  }
  assert.fail('expected a ConfigError');
}

describe('parseConfig', () => {
  it('runs on an embedded default with no config at all', () => {
    const config = parseConfig('', {});
    assert.deepEqual(config, {
      port: 8080,
      apiToken: undefined,
      storage: { kind: 'sqlite', url: 'sqlite:./data/berth.db', path: './data/berth.db' },
      backups: [],
    });
  });

  it('reads every key, interpolating ${VAR} from the environment', () => {
    const config = parseConfig(full, env);
    assert.equal(config.port, 9090);
    assert.equal(config.apiToken, env.BERTH_API_TOKEN);
    assert.equal(config.storage.kind, 'postgres');
    assert.deepEqual(config.backups[0], {
      name: 'app',
      source: { kind: 'url', url: env.APP_DATABASE_URL },
      schedule: '30 2 * * *',
      timezone: 'Europe/Kyiv',
      dir: '/var/backups/app',
      keepDays: 14,
      keepMin: 5,
    });
    assert.deepEqual(config.backups[1], {
      name: 'shop',
      source: { kind: 'compose', path: '/srv/shop', service: 'db', database: 'shop', user: 'shop' },
      schedule: '0 6 * * *',
      timezone: undefined,
      dir: './data/backups/shop',
      keepDays: 30,
      keepMin: 3,
    });
  });

  it('takes PORT from the environment and ${VAR:-default}', () => {
    const config = parseConfig('storage:\n  url: ${STORAGE:-sqlite:/tmp/x.db}\n', { PORT: '7000' });
    assert.equal(config.port, 7000);
    assert.equal(config.storage.url, 'sqlite:/tmp/x.db');
  });

  it('names the key path of an unknown key, a bad cron, a bad URL and an unset variable', () => {
    const message = problems(`
backups:
  - name: app
    database-url: "not a url"
    schedule: "61 * * * *"
    timezone: Mars/Olympus
    keep-dayz: 3
  - name: other
    database-url: \${MISSING}
alerts: {}
`);
    assert.match(message, /backups\[0\]\.keep-dayz: unknown key/);
    assert.match(message, /backups\[0\]\.schedule: '61 \* \* \* \*' is not a valid cron expression/);
    assert.match(message, /backups\[0\]\.database-url: is not a valid URL/);
    assert.match(message, /backups\[0\]\.timezone: unknown time zone 'Mars\/Olympus'/);
    assert.match(message, /backups\[1\]\.database-url: refers to \$\{MISSING\}, which is not set/);
    assert.match(message, /^ {2}alerts: unknown key/m);
  });

  it('refuses a source that is both or neither, duplicate names, a short token and bad YAML', () => {
    assert.match(problems('backups:\n  - name: a\n'), /backups\[0\]: needs database-url or compose/);
    assert.match(
      problems('backups:\n  - name: a\n    database-url: postgres://h/db\n    compose: { path: /x, service: db, database: d, user: u }\n'),
      /give database-url or compose, not both/,
    );
    assert.match(
      problems('backups:\n  - { name: a, database-url: "postgres://h/a" }\n  - { name: a, database-url: "postgres://h/b" }\n'),
      /'a' is used twice/,
    );
    assert.match(problems('api-token: short\n'), /api-token: use at least 16 characters/);
    assert.match(
      problems('storage:\n  url: mysql://root:pw@h/db\n'),
      /storage\.url: expected sqlite:<path> or postgres:.*mysql:\/\/root:\*\*\*@h\/db/,
    );
    assert.match(problems('port: [1'), /not valid YAML/);
    assert.match(problems('backups:\n  - name: "../etc"\n    database-url: postgres://h/db\n'), /backups\[0\]\.name: use letters/);
  });
});
