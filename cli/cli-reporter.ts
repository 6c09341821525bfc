/** Readable progress in a terminal: a line per step with its time, remote output indented. */
import type { Reporter } from '../core/engine/reporter.js';
import { consoleLogger } from '../core/log.js';

export function cliReporter(out: NodeJS.WritableStream = process.stderr): Reporter {
  return {
    logger: consoleLogger,
    group: async (title, fn) => {
      out.write(`▸ ${title}\n`);
      const started = Date.now();
      try {
        const value = await fn();
        out.write(`  ✓ ${title} (${((Date.now() - started) / 1000).toFixed(1)}s)\n`);
        return value;
      } catch (error) {
        out.write(`  ✗ ${title} (${((Date.now() - started) / 1000).toFixed(1)}s)\n`);
        throw error;
      }
    },
    output: (chunk) => {
      out.write(chunk.toString().replace(/^(?=.)/gm, '  │ '));
    },
  };
}
