/**
 * With BENCH_TRACE=1, each command berth runs on the server is printed with when it began (from the
 * connection) and how long it took: where a step's time goes, command by command.
 */
import type { Executor } from '../core/exec/executor.js';
import { shellJoin } from '../core/exec/shell.js';

export function traced(executor: Executor): Executor {
  if (process.env.BENCH_TRACE !== '1') return executor;
  const t0 = performance.now();
  console.log(`  trace connected at ${new Date().toISOString()}`);
  const at = () => ((performance.now() - t0) / 1000).toFixed(2).padStart(6);
  return {
    where: executor.where,
    async run(argv, options) {
      const begun = at();
      const result = await executor.run(argv, options);
      console.log(`  trace ${begun}s +${(result.durationMs / 1000).toFixed(2)}s  ${shellJoin(argv).slice(0, 160)}`);
      return result;
    },
    async openTcp(host, port) {
      console.log(`  trace ${at()}s tcp ${host}:${port}`);
      return executor.openTcp(host, port);
    },
    close: () => executor.close(),
  };
}
