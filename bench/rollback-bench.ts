/**
 * berth's `rollback` (by hand, to the previous release, from its kept images: no rebuild) against the
 * hand-written rollback (`git reset --hard <previous>`, then `docker-compose down`, `build`, `up -d`) on
 * identical copies of one app. Each round first ships a change on both sides (not timed), then rolls
 * both back to what ran before it.
 */
import { runChecked } from '../core/exec/executor.js';
import type { RunningTestbed } from '../test/bed/start-testbed.js';
import { type BenchApp, BOOTING_APP, RECREATE, type Strategy, withBenchPair } from './bench-apps.js';
import { HAND_ROLLBACK, handWritten } from './hand-written.js';
import { type PairRound, pairRound } from './pair-round.js';

export function rollbackBench(
  testbed: RunningTestbed,
  rounds: number,
  bench: BenchApp = BOOTING_APP,
  strategy: Strategy = RECREATE,
): Promise<PairRound[]> {
  return withBenchPair(testbed, 'rollback', bench, strategy, { hand: true }, async (pair, admin) => {
    // What both roll back to in every round: what ran before that round's deploy.
    const head = async (path: string) => (await runChecked(admin, ['git', '-C', path, 'rev-parse', 'HEAD'])).stdout.trim();
    const previous = { berth: await head(pair.berth.repo.path), hand: await head(pair.hand.repo.path) };
    const berthRollback = async () => {
      const outcome = await pair.berthRun('rollback');
      const { to, images } = outcome.rollback ?? {};
      if (to !== previous.berth || images !== 'kept')
        throw new Error(`berth rolled back to ${to} with ${images} images, not to ${previous.berth} with kept ones`);
      return outcome;
    };
    const handRollback = () => handWritten(testbed, HAND_ROLLBACK, [pair.hand.repo.path, previous.hand]);
    const results: PairRound[] = [];
    for (let round = 1; round <= rounds; round++) {
      const page = { 'www/index.html': `round ${round}, rolled back\n` };
      const berthCommit = await pair.berth.repo.commit(page, `round ${round}`);
      await pair.hand.repo.commit(page, `round ${round}`);
      await pair.berthRun('deploy', berthCommit);
      await pair.handDeploy();
      results.push(await pairRound(pair, `rollback ${bench.name}/${strategy.name} round ${round}`, berthRollback, handRollback));
    }
    return results;
  });
}
