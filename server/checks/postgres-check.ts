/** `type: postgres`: connects and runs `SELECT 1`. The URL's password never reaches a message. */
import pg from 'pg';
import type { PostgresCheckConfig } from '../config/server-config.js';
import { type CheckOutcome, failed, passed, type Probe, shownUrl } from './check-outcome.js';

export const postgresProbe: Probe<PostgresCheckConfig> = async (config, signal): Promise<CheckOutcome> => {
  const where = shownUrl(config.url);
  const password = new URL(config.url).password;
  const client = new pg.Client({
    connectionString: config.url,
    connectionTimeoutMillis: config.timeoutMs,
    query_timeout: config.timeoutMs,
    application_name: 'berth-check',
  });
  // A connection that breaks after the check (the server restarting) must not crash the process.
  client.on('error', () => undefined);
  const onAbort = (): void => void client.end().catch(() => undefined);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return passed;
  } catch (error) {
    if (signal.aborted) return failed(`${where}: no answer within ${config.timeoutMs / 1000} s`);
    let message = (error as Error).message;
    if (password) message = message.split(decodeURIComponent(password)).join('***').split(password).join('***');
    return failed(`${where}: ${message}`);
  } finally {
    signal.removeEventListener('abort', onAbort);
    await client.end().catch(() => undefined); // already closed by a failure or the timeout
  }
};
