/** `checks:` — health checks of four types, each on its own schedule with down/up thresholds. */
import { z } from 'zod';
import type { CheckBase, CheckConfig } from '../server-config.js';
import { SERVER_DEFAULTS } from '../server-config.js';
import { cron, duration, typeError, flag, httpUrl, integer, list, name, postgresUrl, section, seconds, text } from './primitives.js';

const common = {
  name: name.describe('unique; names the check in alerts, the API and the status page'),
  schedule: cron(SERVER_DEFAULTS.checkSchedule, 'cron (UTC), 5 fields or 6 with seconds first; default every 30 minutes'),
  failures: integer(1, 1000, SERVER_DEFAULTS.checkFailures).describe('consecutive failures before the check is down'),
  successes: integer(1, 1000, SERVER_DEFAULTS.checkSuccesses).describe('consecutive passes before it is up again'),
  timeout: seconds(3600, SERVER_DEFAULTS.checkTimeoutSeconds).describe('seconds one run may take'),
  'remind-every': duration.optional().describe('repeat a still-down alert this often (30m, 4h, 1d); default never'),
};

const statusCode = integer(100, 599);

const http = section({
  type: z.literal('http'),
  ...common,
  url: httpUrl('http(s) URL fetched with GET'),
  status: z
    .union([statusCode, list(statusCode, 'accepted statuses').min(1, { error: 'list at least one status' })], {
      error: 'expected a status such as 200, or a list of them',
    })
    .optional()
    .describe('accepted status or statuses; default any 2xx'),
  contains: text.optional().describe('text the body must contain (the first 1 MB is read)'),
  'follow-redirects': flag(false).describe('follow redirects (default: a redirect is the answer)'),
});

const compose = section({
  type: z.literal('compose'),
  ...common,
  path: text.describe('the Compose project folder on this host'),
  'project-name': text.optional(),
  'compose-files': list(text, 'compose files, relative to path').optional(),
});

const tcp = section({
  type: z.literal('tcp'),
  ...common,
  host: text,
  port: integer(1, 65_535),
});

const postgres = section({
  type: z.literal('postgres'),
  ...common,
  url: postgresUrl('postgres://user:pass@host:5432/db; connects and runs SELECT 1'),
});

const TYPES = 'http, compose, tcp or postgres';

const check = z.discriminatedUnion('type', [http, compose, tcp, postgres], { error: typeError(TYPES) }).transform((c): CheckConfig => {
  const base: CheckBase = {
    name: c.name,
    schedule: c.schedule,
    failures: c.failures,
    successes: c.successes,
    timeoutMs: Math.round(c.timeout * 1000),
    remindEveryMs: c['remind-every'],
  };
  switch (c.type) {
    case 'http':
      return {
        ...base,
        type: c.type,
        url: c.url,
        status: c.status === undefined ? undefined : [c.status].flat(),
        contains: c.contains,
        followRedirects: c['follow-redirects'],
      };
    case 'compose':
      return { ...base, type: c.type, path: c.path, projectName: c['project-name'], composeFiles: c['compose-files'] ?? [] };
    case 'tcp':
      return { ...base, type: c.type, host: c.host, port: c.port };
    case 'postgres':
      return { ...base, type: c.type, url: c.url };
  }
});

export const checksSchema = list(check, 'health checks, each on its own schedule').default([]);
