import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { configSecrets } from '../../server/config/config-secrets.js';
import { berthJsonSchema, berthJsonSchemaText } from '../../server/config/json-schema.js';
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
      checks: [],
      alerts: [],
      github: { webhookSecret: undefined },
      statusPage: 'private',
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
alarms: {}
`);
    assert.match(message, /backups\[0\]\.keep-dayz: unknown key/);
    assert.match(message, /backups\[0\]\.schedule: '61 \* \* \* \*' is not a valid cron expression/);
    assert.match(message, /backups\[0\]\.database-url: is not a valid URL/);
    assert.match(message, /backups\[0\]\.timezone: unknown time zone 'Mars\/Olympus'/);
    assert.match(message, /backups\[1\]\.database-url: refers to \$\{MISSING\}, which is not set/);
    assert.match(message, /^ {2}alarms: unknown key \(known: port, api-token, storage, backups, checks, alerts, github, status-page\)/m);
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
    assert.match(problems('storage:\n  url: mysql://root:pw@h/db\n'), /storage\.url: expected sqlite:<path> or postgres:.*, got 'mysql:'/);
    assert.match(problems('port: [1'), /not valid YAML/);
    assert.match(problems('backups:\n  - name: "../etc"\n    database-url: postgres://h/db\n'), /backups\[0\]\.name: use letters/);
  });
});

describe('parseConfig: checks, alerts, github, status page', () => {
  const contract = `
checks:
  - name: web
    type: http
    url: http://localhost:5000/health
    schedule: "*/30 * * * *"
    failures: 2
    successes: 1
    timeout: 10
  - name: containers
    type: compose
    path: /srv/app
  - name: db
    type: postgres
    url: \${APP_DATABASE_URL}
  - { name: port, type: tcp, host: 127.0.0.1, port: "5432", status-code: 1 }
alerts:
  - type: slack
    url: \${SLACK_WEBHOOK_URL}
  - type: telegram
    token: \${TELEGRAM_TOKEN}
    chat-id: "-100123"
  - type: webhook
    url: https://example.com/hooks/berth
github:
  webhook-secret: \${GITHUB_WEBHOOK_SECRET}
`;
  const vars = {
    ...env,
    SLACK_WEBHOOK_URL: 'https://hooks.slack.test/T0/B0/x',
    TELEGRAM_TOKEN: '123:abc',
    GITHUB_WEBHOOK_SECRET: 'gh-secret',
  };

  it("reads the issue's example with every default filled in", () => {
    const config = parseConfig(contract.replace(', status-code: 1', ''), vars);
    const common = { schedule: '*/30 * * * *', failures: 2, successes: 1, timeoutMs: 10_000, remindEveryMs: undefined };
    assert.deepEqual(config.checks, [
      {
        ...common,
        name: 'web',
        type: 'http',
        url: 'http://localhost:5000/health',
        status: undefined,
        contains: undefined,
        followRedirects: false,
      },
      { ...common, name: 'containers', type: 'compose', path: '/srv/app', projectName: undefined, composeFiles: [] },
      { ...common, name: 'db', type: 'postgres', url: env.APP_DATABASE_URL },
      { ...common, name: 'port', type: 'tcp', host: '127.0.0.1', port: 5432 },
    ]);
    assert.deepEqual(config.alerts, [
      { type: 'slack', url: vars.SLACK_WEBHOOK_URL },
      { type: 'telegram', token: '123:abc', chatId: '-100123', apiUrl: 'https://api.telegram.org' },
      { type: 'webhook', url: 'https://example.com/hooks/berth' },
    ]);
    assert.deepEqual(config.github, { webhookSecret: 'gh-secret' });
    assert.equal(config.statusPage, 'private');
  });

  it('reads every optional key: status lists, contains, redirects, remind-every, compose files, api-url', () => {
    const config = parseConfig(
      `
status-page: public
checks:
  - { name: a, type: http, url: "https://x.test/", status: [200, 301], contains: ok, follow-redirects: true, remind-every: 4h, timeout: 0.5, schedule: "*/5 * * * * *", failures: 3, successes: 2 }
  - { name: b, type: http, url: "http://x.test/", status: 204 }
  - { name: c, type: compose, path: /srv/app, project-name: shop, compose-files: [compose.yml, compose.prod.yml] }
alerts:
  - { type: telegram, token: t, chat-id: -100123, api-url: "http://127.0.0.1:9/bot/" }
  - { type: discord, url: "https://discord.test/api/webhooks/1/x" }
`,
      {},
    );
    assert.equal(config.statusPage, 'public');
    assert.deepEqual(config.checks[0], {
      name: 'a',
      type: 'http',
      url: 'https://x.test/',
      status: [200, 301],
      contains: 'ok',
      followRedirects: true,
      schedule: '*/5 * * * * *',
      failures: 3,
      successes: 2,
      timeoutMs: 500,
      remindEveryMs: 4 * 3_600_000,
    });
    assert.deepEqual(config.checks[1]?.type === 'http' && config.checks[1].status, [204]);
    assert.deepEqual(config.checks[2]?.type === 'compose' && [config.checks[2].projectName, config.checks[2].composeFiles], [
      'shop',
      ['compose.yml', 'compose.prod.yml'],
    ]);
    assert.deepEqual(config.alerts[0], { type: 'telegram', token: 't', chatId: '-100123', apiUrl: 'http://127.0.0.1:9/bot' });
  });

  it('names the key path of every problem at once: type, url, cron, failures, unknown keys, duplicates', () => {
    const message = problems(`
checks:
  - { name: web, type: http, url: "ftp://x/", failures: 0, status: [200, 700] }
  - { name: c, type: compose }
  - { name: t, type: smoke }
  - { name: u, url: "http://x/" }
  - { name: p, type: postgres, url: "\${APP_DATABASE_URL}", schedule: "every day", timeout: 0 }
  - { name: web, type: tcp, host: h, port: 99999, remind-every: soon }
  - { name: h, type: http }
  - { name: q, type: http, url: "http://x/", schedule: "0 0 30 2 *", retries: 3 }
alerts:
  - { type: telegram, token: x }
  - { type: slack }
  - { type: pigeon, url: "http://x/" }
  - { type: webhook, url: "mailto:ops@example.com" }
github: { webhook-secret: s, events: [push] }
status-page: open
`);
    for (const line of [
      /checks\[0\]\.url: expected an http or https URL, got 'ftp:'/,
      /checks\[0\]\.failures: expected a whole number from 1 to 1000, got 0/,
      /checks\[0\]\.status\[1\]: expected a whole number from 100 to 599, got 700/,
      /checks\[1\]\.path: is required/,
      /checks\[2\]\.type: expected http, compose, tcp or postgres, got "smoke"/,
      /checks\[3\]\.type: is required: http, compose, tcp or postgres/,
      /checks\[4\]\.schedule: 'every day' is not a valid cron expression \(expected 5 fields/,
      /checks\[4\]\.timeout: expected a number of seconds above 0/,
      /checks\[5\]\.port: expected a whole number from 1 to 65535, got 99999/,
      /checks\[5\]\.remind-every: expected a duration such as 30m, 4h or 1d/,
      /checks\[6\]\.url: is required/,
      /checks\[7\]\.schedule: '0 0 30 2 \*' is not a valid cron expression \(it never matches a date\)/,
      /checks\[7\]\.retries: unknown key \(known: type, name, schedule/,
      /checks: the name 'web' is used twice/,
      /alerts\[0\]\.chat-id: is required/,
      /alerts\[1\]\.url: is required/,
      /alerts\[2\]\.type: expected slack, discord, telegram or webhook, got "pigeon"/,
      /alerts\[3\]\.url: expected an http or https URL, got 'mailto:'/,
      /github\.events: unknown key \(known: webhook-secret\)/,
      /status-page: expected public or private/,
    ])
      assert.match(message, line);
    assert.equal(message.split('\n').length - 1, 20, message);
  });

  it('never repeats a secret in a message', () => {
    const message = problems('api-token: sh0rt-s3cret\nchecks:\n  - { name: db, type: postgres, url: "mysql://u:hunter22@h/db" }\n');
    assert.match(message, /api-token: use at least 16 characters/);
    assert.match(message, /checks\[0\]\.url: expected a postgres or postgresql URL, got 'mysql:'/);
    assert.doesNotMatch(message, /sh0rt-s3cret|hunter22/);
  });

  it('never repeats a storage URL or an interpolated number-key value, whatever their form', () => {
    const message = problems(
      'port: ${SECRET}\nstorage: { url: "mysql://u:se/cret@h/db" }\nchecks:\n  - { name: a, type: tcp, host: h, port: .inf, timeout: [1] }\n',
      { SECRET: 'topsecret-value-99' },
    );
    assert.match(message, /port: expected a whole number from 1 to 65535, got text/);
    assert.match(message, /storage\.url: expected sqlite:<path> or postgres:\/\/user:pass@host\/db, got something that is not a URL/);
    assert.match(message, /checks\[0\]\.port: expected a whole number from 1 to 65535, got Infinity/);
    assert.match(message, /checks\[0\]\.timeout: expected a number of seconds above 0, at most 3600, got a list/);
    assert.doesNotMatch(message, /topsecret|se\/cret/);
    const colons = problems('storage: { url: "mysql://u:ab:cd@h/db" }\n');
    assert.match(colons, /storage\.url: .*, got 'mysql:'/);
    assert.doesNotMatch(colons, /ab|cd@/);
  });

  it('accepts the cron forms the scheduler runs (L, #, nicknames, seconds) and an empty ${VAR:-} as unset', () => {
    const config = parseConfig(
      'api-token: ${TOKEN:-}\nbackups:\n  - { name: a, database-url: "postgres://h/db", schedule: "0 3 L * *" }\n  - { name: b, database-url: "postgres://h/db", schedule: "0 3 * * 5#2" }\n  - { name: c, database-url: "postgres://h/db", schedule: "@weekly" }\n',
      {},
    );
    assert.equal(config.apiToken, undefined);
    assert.deepEqual(
      config.backups.map((b) => b.schedule),
      ['0 3 L * *', '0 3 * * 5#2', '@weekly'],
    );
  });
});

describe('configSecrets', () => {
  it('holds the token parts of channel URLs, so an echoed path is redacted too', () => {
    const config = parseConfig(
      `api-token: \${BERTH_API_TOKEN}
storage: { url: "postgres://berth:p%40ss@db/berth" }
alerts:
  - { type: slack, url: "https://hooks.slack.com/services/T0123ABCD/B0123ABCD/abcdefghijklmnopqrstuvwx" }
  - { type: discord, url: "https://discord.com/api/webhooks/123456789012345678/tok-en_0123456789abcdefghij" }
  - { type: webhook, url: "https://ops.example.com/hooks/berth?key=0123456789abcdef%2Fxyz" }
  - { type: telegram, token: "123456:AAbbCCdd", chat-id: "-1" }
`,
      env,
    );
    const secrets = configSecrets(config);
    for (const secret of [
      env.BERTH_API_TOKEN,
      'p%40ss',
      'p@ss',
      'abcdefghijklmnopqrstuvwx',
      'tok-en_0123456789abcdefghij',
      '0123456789abcdef/xyz',
      '123456:AAbbCCdd',
    ])
      assert.ok(secrets.includes(secret), secret);
    assert.ok(
      !secrets.includes('hooks') && !secrets.includes('services') && !secrets.includes('T0123ABCD'),
      'short path parts stay readable',
    );
  });
});

describe('schema/berth.schema.json', () => {
  it('is what the zod definitions generate (run `npm run schema` after changing them)', () => {
    const committed = readFileSync(join(process.cwd(), 'schema/berth.schema.json'), 'utf8');
    assert.equal(committed, berthJsonSchemaText());
  });

  it('describes every top-level key and check type, and lets numbers be ${VAR}', () => {
    const schema = berthJsonSchema() as {
      properties: Record<string, { items?: { oneOf?: Array<{ properties: { type: { const: string } } }> } }>;
      additionalProperties: boolean;
    };
    assert.deepEqual(Object.keys(schema.properties), [
      'port',
      'api-token',
      'storage',
      'backups',
      'checks',
      'alerts',
      'github',
      'status-page',
    ]);
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual(
      schema.properties.checks?.items?.oneOf?.map((o) => o.properties.type.const),
      ['http', 'compose', 'tcp', 'postgres'],
    );
    assert.match(JSON.stringify(schema.properties.port), /"anyOf":\[\{"type":"integer".*"pattern"/);
  });
});
