/**
 * Which server runs a scheduled tick, when several share one PostgreSQL: each inserts the claim
 * row keyed by (job, scheduled time) with ON CONFLICT DO NOTHING, and only the insert that
 * changed a row runs the tick. The primary key makes PostgreSQL itself the arbiter: no lease,
 * no clock comparison between servers.
 */
import type { TickClaimer } from '../schedule/cron-jobs.js';
import { SERVER_ID } from '../server-id.js';
import type { Storage } from './storage.js';

/** Claims older than this are deleted; ticks that old are long done. */
const CLAIMS_KEPT_MS = 86_400_000;
const PRUNE_EVERY = 500;

export class StorageTickClaimer implements TickClaimer {
  private claims = 0;

  constructor(
    private readonly storage: Storage,
    private readonly serverId = SERVER_ID,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async claim(job: string, tick: Date): Promise<boolean> {
    const now = this.clock();
    const changed = await this.storage.run(
      'INSERT INTO job_claims (job, tick, claimed_by, claimed_at) VALUES (?, ?, ?, ?) ON CONFLICT (job, tick) DO NOTHING',
      [job, tick.toISOString(), this.serverId, now.toISOString()],
    );
    if (++this.claims % PRUNE_EVERY === 1)
      await this.storage.run('DELETE FROM job_claims WHERE claimed_at < ?', [new Date(now.getTime() - CLAIMS_KEPT_MS).toISOString()]);
    return changed === 1;
  }
}
