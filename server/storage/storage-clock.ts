/**
 * The time servers sharing one PostgreSQL write into it: this machine's clock moved by its offset
 * from the database's. An alert's claim lapses, and a retry comes due, by times other servers
 * wrote; with clocks apart by more than a post's timeout, a server ahead would take a delivery
 * another is still posting (sent twice), and one behind would wait that much longer for a retry.
 * SQLite has one process: its clock is the machine's.
 */
import { describeError } from '../../core/errors.js';
import { type Logger, silentLogger } from '../../core/log.js';
import type { Storage } from './storage.js';

/** How often the offset is measured again (NTP may step the clock meanwhile). */
const REMEASURE_MS = 5 * 60_000;
/** An offset worth a line in the log. */
const NOTED_OFFSET_MS = 1_000;

/** The database's time minus this machine's, from one round trip (its middle). */
async function measureOffset(storage: Storage, system: () => Date): Promise<number> {
  const before = system().getTime();
  const [row] = await storage.all<{ ms: number | string }>('SELECT EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS ms');
  const after = system().getTime();
  return Math.round(Number(row?.ms) - (before + after) / 2);
}

/** A clock for times shared through the storage; measured at start (a failure there is the storage's to report), then every 5 min. */
export async function storageClock(storage: Storage, logger: Logger = silentLogger, system = (): Date => new Date()): Promise<() => Date> {
  if (storage.kind !== 'postgres') return system;
  let offset = await measureOffset(storage, system);
  if (Math.abs(offset) >= NOTED_OFFSET_MS)
    logger.warn(
      `this machine's clock is ${(Math.abs(offset) / 1000).toFixed(1)} s ${offset > 0 ? 'behind' : 'ahead of'} PostgreSQL's: times in the storage follow PostgreSQL's`,
    );
  const timer = setInterval(() => {
    measureOffset(storage, system).then(
      (measured) => (offset = measured),
      (error: unknown) => logger.debug(`storage clock: not measured: ${describeError(error)}`),
    );
  }, REMEASURE_MS);
  timer.unref();
  return () => new Date(system().getTime() + offset);
}
