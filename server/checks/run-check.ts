/** Runs one check of any type under its timeout and measures it; never rejects. */
import type { CheckConfig } from '../config/server-config.js';
import { type CheckOutcome, type CheckResult, failed } from './check-outcome.js';
import { composeProbe } from './compose-check.js';
import { httpProbe } from './http-check.js';
import { postgresProbe } from './postgres-check.js';
import { tcpProbe } from './tcp-check.js';

export type CheckRunner = (config: CheckConfig) => Promise<CheckResult>;

function probe(config: CheckConfig): Promise<CheckOutcome> {
  const signal = AbortSignal.timeout(config.timeoutMs);
  switch (config.type) {
    case 'http':
      return httpProbe(config, signal);
    case 'tcp':
      return tcpProbe(config, signal);
    case 'postgres':
      return postgresProbe(config, signal);
    case 'compose':
      return composeProbe(config, signal);
  }
}

/** Each probe honours its signal; the extra second is a backstop so no probe can hold its check past the timeout. */
const BACKSTOP_MS = 1000;

export const runCheck: CheckRunner = async (config) => {
  const at = new Date();
  const started = performance.now();
  let backstop: NodeJS.Timeout | undefined;
  const late = new Promise<CheckOutcome>((resolve) => {
    backstop = setTimeout(() => resolve(failed(`no answer within ${config.timeoutMs / 1000} s`)), config.timeoutMs + BACKSTOP_MS);
  });
  const outcome = await Promise.race([
    probe(config).catch((error: unknown) => failed(`the check itself failed: ${(error as Error).message}`)),
    late,
  ]);
  clearTimeout(backstop);
  return { ...outcome, at: at.toISOString(), latencyMs: Math.round(performance.now() - started) };
};
