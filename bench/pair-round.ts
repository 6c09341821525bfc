/**
 * One round of a benchmark that runs berth and the hand-written workflow on the two copies of an app
 * (bench-apps.ts): each timed with a 20 Hz probe on its copy, berth's steps one by one.
 */
import type { Outcome } from '../core/engine/outcome.js';
import type { StepRecord } from '../core/release/release.js';
import type { BenchPair } from './bench-apps.js';
import { timed } from './hand-written.js';
import { ratioStats, showSpread, type Spread, stats } from './stats.js';

export interface PairRound {
  readonly berthMs: number;
  readonly berthFailedProbes: number;
  readonly handMs: number;
  readonly handFailedProbes: number;
  readonly probesSent: { berth: number; hand: number };
  /** Probes sent again, once, because a kept-alive connection closed under them before any answer (see probe.ts). */
  readonly probesRetried: { berth: number; hand: number };
  /** berth's steps in the order they ran, ms each; `other` is the time outside them (recording the release, keeping images). */
  readonly berthSteps: Readonly<Record<string, number>>;
}

/** Each step's time (a step run twice counts twice), and the wall time no step accounts for as `other`. */
export function stepTimes(steps: readonly StepRecord[], wallMs: number): Record<string, number> {
  const times: Record<string, number> = {};
  for (const step of steps) times[step.name] = (times[step.name] ?? 0) + step.durationMs;
  const inSteps = Object.values(times).reduce((sum, ms) => sum + ms, 0);
  times.other = Math.max(0, wallMs - inSteps);
  return times;
}

/** `connect 0.05 · lock 0.08 · …` in seconds. */
export function showSteps(times: Readonly<Record<string, number>>): string {
  return Object.entries(times)
    .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(2)}`)
    .join(' · ');
}

/** Runs berth's side, then the hand-written one, each under its probe; prints the round as `label`. */
export async function pairRound(
  pair: BenchPair,
  label: string,
  berthSide: () => Promise<Outcome>,
  handSide: () => Promise<void>,
): Promise<PairRound> {
  const berth = await pair.undisturbed(label, () => timed(pair.berth.url, berthSide));
  const hand = await timed(pair.hand.url, handSide);
  const berthSteps = stepTimes(berth.value.steps, berth.ms);
  console.error(
    `${label}: berth ${(berth.ms / 1000).toFixed(2)}s (${showSteps(berthSteps)}), ${berth.failed}/${berth.sent} probes failed; hand-written ${(hand.ms / 1000).toFixed(2)}s, ${hand.failed}/${hand.sent} failed${berth.failed > 0 ? `\n  berth's failed probes: ${berth.failures.join('; ')}` : ''}${berth.retries.length > 0 ? `\n  berth's probes sent again on a fresh connection: ${berth.retries.join('; ')}` : ''}`,
  );
  return {
    berthMs: berth.ms,
    berthFailedProbes: berth.failed,
    handMs: hand.ms,
    handFailedProbes: hand.failed,
    probesSent: { berth: berth.sent, hand: hand.sent },
    probesRetried: { berth: berth.retries.length, hand: hand.retries.length },
    berthSteps,
  };
}

/** The rounds' medians and spreads, each ratio taken within its round (both sides under that moment's load). */
export function pairSummary(rounds: readonly PairRound[]) {
  const berthFailed = rounds.reduce((sum, r) => sum + r.berthFailedProbes, 0);
  const handFailed = rounds.reduce((sum, r) => sum + r.handFailedProbes, 0);
  const stepNames = [...new Set(rounds.flatMap((r) => Object.keys(r.berthSteps)))];
  return {
    rounds: rounds.length,
    berthSeconds: stats(rounds.map((r) => r.berthMs)),
    handWrittenSeconds: stats(rounds.map((r) => r.handMs)),
    roundRatios: ratioStats(rounds.map((r) => r.berthMs / r.handMs)),
    /** Each of berth's steps: median and spread over the rounds, in seconds. */
    berthStepSeconds: Object.fromEntries(stepNames.map((name) => [name, stats(rounds.map((r) => r.berthSteps[name] ?? 0))])),
    berthFailedProbes: berthFailed,
    berthProbesSent: rounds.reduce((sum, r) => sum + r.probesSent.berth, 0),
    handWrittenFailedProbes: handFailed,
    handWrittenProbesSent: rounds.reduce((sum, r) => sum + r.probesSent.hand, 0),
    berthProbesRetried: rounds.reduce((sum, r) => sum + r.probesRetried.berth, 0),
    handWrittenProbesRetried: rounds.reduce((sum, r) => sum + r.probesRetried.hand, 0),
    failedProbeRatio: handFailed === 0 ? null : +(berthFailed / handFailed).toFixed(2),
    rawRounds: rounds,
  };
}

/** `connect 0.15 s (0.15–0.16 s) · …`: each step's median and spread. */
export function showStepSpreads(steps: Readonly<Record<string, Spread>>): string {
  return Object.entries(steps)
    .map(([name, spread]) => `${name} ${showSpread(spread, 's')}`)
    .join(' · ');
}
