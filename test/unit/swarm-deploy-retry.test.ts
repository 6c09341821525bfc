/** A stack deploy that raced another update of a service ("update out of sequence") is sent again. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CommandFailedError } from '../../core/errors.js';
import type { Executor, RunResult } from '../../core/exec/executor.js';
import { DEPLOY_ATTEMPTS, SwarmApp } from '../../core/swarm/swarm-app.js';
import type { AppSettings } from '../../core/settings/settings.js';

const RACED = 'failed to update service shop_web: Error response from daemon: rpc error: code = Unknown desc = update out of sequence\n';

/** An executor answering each `docker stack deploy` with the next of `answers`. */
function scripted(answers: ReadonlyArray<Partial<RunResult>>): { executor: Executor; deploys: () => number } {
  let deploys = 0;
  const executor: Executor = {
    where: 'deploy@fake:22',
    run: async (argv) => {
      if (argv[1] === 'stack' && argv[2] === 'deploy') {
        const answer = answers[deploys++] ?? {};
        return { code: 0, signal: null, stdout: '', stderr: '', durationMs: 1, ...answer };
      }
      return { code: 0, signal: null, stdout: '', stderr: '', durationMs: 1 };
    },
    openTcp: () => Promise.reject(new Error('no')),
    close: async () => {},
  };
  return { executor, deploys: () => deploys };
}

const app = (executor: Executor) =>
  new SwarmApp(executor, { path: '/srv/shop' } as AppSettings, { stack: 'shop', registry: undefined }, { sleep: async () => {} });

describe('docker stack deploy', () => {
  it('is sent again when Swarm says the update was out of sequence', async () => {
    const { executor, deploys } = scripted([{ code: 1, stderr: RACED }, { code: 0 }]);
    await app(executor).deploy('/srv/shop/.git/berth/stacks/1.yml');
    assert.equal(deploys(), 2);
  });

  it(`fails after ${DEPLOY_ATTEMPTS} raced attempts, and at once on any other error`, async () => {
    const raced = scripted([...Array.from({ length: DEPLOY_ATTEMPTS }, () => ({ code: 1, stderr: RACED })), { code: 0 }]);
    await assert.rejects(
      app(raced.executor).deploy('/f.yml'),
      (error: unknown) => error instanceof CommandFailedError && /out of sequence/.test(error.message),
    );
    assert.equal(raced.deploys(), DEPLOY_ATTEMPTS);
    const other = scripted([{ code: 1, stderr: 'network shop_default not found\n' }, { code: 0 }]);
    await assert.rejects(app(other.executor).deploy('/f.yml'), /network shop_default not found/);
    assert.equal(other.deploys(), 1);
  });
});
