/**
 * berth's deploy against the workflow teams write by hand, in the same process and run: ssh, then
 * `git pull; docker-compose down; docker-compose build --no-cache; docker-compose up -d; docker image prune -f`.
 * Both ship the same kind of change (a page edit) to identical copies of one app; berth's steps are timed
 * one by one, so each round shows where its time went.
 */
import type { RunningTestbed } from '../test/bed/start-testbed.js';
import { type BenchApp, EXAMPLE_APP, RECREATE, type Strategy, withBenchPair } from './bench-apps.js';
import { type PairRound, pairRound } from './pair-round.js';

export function deployBench(
  testbed: RunningTestbed,
  rounds: number,
  bench: BenchApp = EXAMPLE_APP,
  strategy: Strategy = RECREATE,
): Promise<PairRound[]> {
  return withBenchPair(testbed, 'deploy', bench, strategy, { hand: true }, async (pair) => {
    const results: PairRound[] = [];
    for (let round = 1; round <= rounds; round++) {
      const page = { 'www/index.html': `round ${round}\n` };
      const berthCommit = await pair.berth.repo.commit(page, `round ${round}`);
      await pair.hand.repo.commit(page, `round ${round}`);
      const label = `deploy ${bench.name}/${strategy.name} round ${round}`;
      results.push(await pairRound(pair, label, () => pair.berthRun('deploy', berthCommit), pair.handDeploy));
    }
    return results;
  });
}
