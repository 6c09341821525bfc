/**
 * berth's deploy against the workflow teams write by hand, in the same process and run: ssh, then
 * `git pull; docker-compose down; docker-compose build --no-cache; docker-compose up -d; docker image prune -f`.
 * Both ship the same kind of change (a page edit) to identical copies of one app; berth's steps are timed
 * one by one, so each round shows where its time went.
 */
import { connectSsh } from '../core/ssh/ssh-connection.js';
import type { RunningTestbed } from '../test/bed/start-testbed.js';
import { bedSettings } from '../test/helpers/ssh.js';
import { type BenchApp, benchPair, EXAMPLE_APP, RECREATE, type Strategy } from './bench-apps.js';
import { HAND_DEPLOY, handWritten } from './hand-written.js';
import { type PairRound, pairRound } from './pair-round.js';

export async function deployBench(
  testbed: RunningTestbed,
  rounds: number,
  bench: BenchApp = EXAMPLE_APP,
  strategy: Strategy = RECREATE,
): Promise<PairRound[]> {
  const admin = await connectSsh(bedSettings());
  const pair = await benchPair(admin, testbed, `deploy-${bench.name}-${strategy.name}-${process.pid}`, bench, strategy);
  const handDeploy = () => handWritten(testbed, HAND_DEPLOY, [pair.hand.repo.path]);
  try {
    // Both start from a running, healthy app.
    await pair.berthRun('deploy', 'main');
    await handDeploy();
    const results: PairRound[] = [];
    for (let round = 1; round <= rounds; round++) {
      const page = { 'www/index.html': `round ${round}\n` };
      const berthCommit = await pair.berth.repo.commit(page, `round ${round}`);
      await pair.hand.repo.commit(page, `round ${round}`);
      const label = `deploy ${bench.name}/${strategy.name} round ${round}`;
      results.push(await pairRound(pair, label, () => pair.berthRun('deploy', berthCommit), handDeploy));
    }
    return results;
  } finally {
    await pair.remove();
    await admin.close();
  }
}
