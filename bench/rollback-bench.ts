/**
 * berth's `rollback` (by hand, to the previous release, from its kept images: no rebuild) against the
 * hand-written rollback (`git reset --hard <previous>`, then `docker-compose down`, `build`, `up -d`) on
 * identical copies of one app. Each round first ships a change on both sides (not timed), then rolls
 * both back to what ran before it.
 */
import { runChecked } from '../core/exec/executor.js';
import { connectSsh } from '../core/ssh/ssh-connection.js';
import type { RunningTestbed } from '../test/bed/start-testbed.js';
import { bedSettings } from '../test/helpers/ssh.js';
import { type BenchApp, benchPair, BOOTING_APP, RECREATE, type Strategy } from './bench-apps.js';
import { HAND_DEPLOY, HAND_ROLLBACK, handWritten } from './hand-written.js';
import { type PairRound, pairRound } from './pair-round.js';

export async function rollbackBench(
  testbed: RunningTestbed,
  rounds: number,
  bench: BenchApp = BOOTING_APP,
  strategy: Strategy = RECREATE,
): Promise<PairRound[]> {
  const admin = await connectSsh(bedSettings());
  const pair = await benchPair(admin, testbed, `rollback-${bench.name}-${strategy.name}-${process.pid}`, bench, strategy);
  const handDeploy = () => handWritten(testbed, HAND_DEPLOY, [pair.hand.repo.path]);
  try {
    await pair.berthRun('deploy', 'main');
    await handDeploy();
    // What both roll back to in every round: what ran before that round's deploy.
    const head = async (path: string) => (await runChecked(admin, ['git', '-C', path, 'rev-parse', 'HEAD'])).stdout.trim();
    const previous = { berth: await head(pair.berth.repo.path), hand: await head(pair.hand.repo.path) };
    const results: PairRound[] = [];
    for (let round = 1; round <= rounds; round++) {
      const page = { 'www/index.html': `round ${round}, rolled back\n` };
      const berthCommit = await pair.berth.repo.commit(page, `round ${round}`);
      await pair.hand.repo.commit(page, `round ${round}`);
      await pair.berthRun('deploy', berthCommit);
      await handDeploy();
      const label = `rollback ${bench.name}/${strategy.name} round ${round}`;
      const berthRollback = async () => {
        const outcome = await pair.berthRun('rollback');
        const { to, images } = outcome.rollback ?? {};
        if (to !== previous.berth || images !== 'kept')
          throw new Error(`berth rolled back to ${to} with ${images} images, not to ${previous.berth} with kept ones`);
        return outcome;
      };
      results.push(
        await pairRound(pair, label, berthRollback, () => handWritten(testbed, HAND_ROLLBACK, [pair.hand.repo.path, previous.hand])),
      );
    }
    return results;
  } finally {
    await pair.remove();
    await admin.close();
  }
}
