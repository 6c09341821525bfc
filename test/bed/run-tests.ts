/** `npm test`: sets up the test bed, runs node's test runner on the compiled tests, stops what it started. */
import { spawn } from 'node:child_process';
import { startTestbed } from './start-testbed.js';
import { leaveAbandonedTestSwarm } from './swarm.js';

async function main(): Promise<number> {
  const testbed = await startTestbed();
  try {
    const patterns = process.argv.slice(2);
    const files = patterns.length > 0 ? patterns : ['build/test/**/*.test.js'];
    const child = spawn(process.execPath, ['--enable-source-maps', '--test', '--test-concurrency=2', '--test-timeout=600000', ...files], {
      stdio: 'inherit',
      env: { ...process.env, BERTH_TESTBED: testbed.file },
    });
    return await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  } finally {
    // The swarm tests leave the swarm themselves; this catches a test process that died first.
    await leaveAbandonedTestSwarm().catch((error: unknown) => console.error(`test bed: ${String(error)}`));
    testbed.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`test bed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
