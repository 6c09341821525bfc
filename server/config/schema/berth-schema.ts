/**
 * The whole of berth.yml as one zod schema: it validates the file and, through
 * `z.toJSONSchema`, generates schema/berth.schema.json for editors (never written twice).
 */
import { z } from 'zod';
import type { ServerConfig, StorageConfig } from '../server-config.js';
import { SERVER_DEFAULTS } from '../server-config.js';
import { alertsSchema, githubSchema } from './alerts-schema.js';
import { backupsSchema } from './backups-schema.js';
import { checksSchema } from './checks-schema.js';
import { integer, section, text } from './primitives.js';

const storageUrl = text
  .pipe(
    z.string().superRefine((url, ctx) => {
      if (url.startsWith('sqlite:')) return;
      let protocol: string | undefined;
      try {
        protocol = new URL(url).protocol;
      } catch {
        // not a URL at all: reported below
      }
      // Only the scheme is repeated: the rest of a storage URL may hold a password, in any form.
      if (!protocol || !/^postgres(ql)?:$/.test(protocol))
        ctx.addIssue({
          code: 'custom',
          message: `expected sqlite:<path> or postgres://user:pass@host/db, got ${protocol ? `'${protocol}'` : 'something that is not a URL'}`,
        });
    }),
  )
  .default(SERVER_DEFAULTS.storageUrl)
  .describe('sqlite:<path> (default sqlite:./data/berth.db) or postgres://user:pass@host/db; several servers may share one PostgreSQL');

const storage = section({ url: storageUrl })
  .default({ url: SERVER_DEFAULTS.storageUrl })
  .transform(({ url }): StorageConfig =>
    url.startsWith('sqlite:') ? { kind: 'sqlite', url, path: url.slice('sqlite:'.length) || './data/berth.db' } : { kind: 'postgres', url },
  );

export const berthSchema = section({
  port: integer(1, 65_535, SERVER_DEFAULTS.port).describe('HTTP port; PORT in the environment wins'),
  'api-token': text
    .pipe(z.string().min(16, { error: 'use at least 16 characters (openssl rand -hex 32)' }))
    .optional()
    .describe('bearer token for /api and a private status page; without one the server listens on 127.0.0.1 only'),
  storage,
  backups: backupsSchema,
  checks: checksSchema,
  alerts: alertsSchema,
  github: githubSchema,
  'status-page': z
    .enum(['public', 'private'], { error: 'expected public or private' })
    .default(SERVER_DEFAULTS.statusPage)
    .describe('public: / needs no token; private (default): the API token or a login'),
}).transform((top): ServerConfig => ({
  port: top.port,
  apiToken: top['api-token'],
  storage: top.storage,
  backups: top.backups,
  checks: top.checks,
  alerts: top.alerts,
  github: top.github,
  statusPage: top['status-page'],
}));

/** The berth.yml port schema alone, for PORT from the environment. */
export const portSchema = integer(1, 65_535);
