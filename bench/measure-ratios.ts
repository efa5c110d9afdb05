/**
 * Times a baseline and some operations in alternating rounds with tinybench, and divides each
 * operation by the baseline of its own round: a machine that slows down for a while (other
 * processes share the cores) slows both, and the ratio stays put.
 * @module
 */
import { Bench } from "tinybench";
import type { AbsoluteTime } from "./bench-report.js";
import type { OperationCase } from "./operation-case.js";
import { median, quantile, range } from "./stats.js";

/** How long and how often to time. */
export interface MeasureOptions {
  /** Rounds; every round times the baseline and every operation once. */
  readonly rounds: number;
  /** Time per case per round, milliseconds (tinybench's `time`). */
  readonly taskTimeMs: number;
  /** Warm-up per case before the first round, milliseconds. */
  readonly warmupMs: number;
  /** At least this many samples per case per round, however slow the case. */
  readonly minSamples: number;
}

/** One operation against the baseline. */
export interface MeasuredRatio {
  readonly ratio: number;
  readonly ratioMin: number;
  readonly ratioMax: number;
  readonly absolute: AbsoluteTime;
}

/** The baseline's time and each operation's ratio, in the order given. */
export interface Measured {
  readonly baseline: AbsoluteTime;
  readonly operations: readonly MeasuredRatio[];
}

function timedBatch(operation: OperationCase): () => Promise<void> {
  return async () => {
    for (let i = 0; i < operation.batch; i++) {
      const pending = operation.call();
      if (pending !== undefined) await pending;
    }
  };
}

function absolute(perCallUs: readonly number[]): AbsoluteTime {
  return {
    medianUs: median(perCallUs),
    p25Us: quantile(perCallUs, 0.25),
    p75Us: quantile(perCallUs, 0.75),
    calls: perCallUs.length,
  };
}

/** Times one round; returns each case's per-call samples in microseconds. */
async function timeRound(
  cases: readonly OperationCase[],
  options: MeasureOptions,
  warmup: boolean,
  reverse: boolean,
): Promise<number[][]> {
  const bench = new Bench({
    time: options.taskTimeMs,
    iterations: options.minSamples,
    warmupTime: options.warmupMs,
    warmupIterations: options.minSamples,
    throws: true,
  });
  const order = cases.map((_, index) => index);
  // Alternating the order keeps a slow start or end of a round from always landing on one case.
  if (reverse) order.reverse();
  for (const index of order) {
    const operation = cases[index]!;
    bench.add(`case-${index}`, timedBatch(operation), {
      beforeEach: operation.before === undefined ? undefined : () => operation.before?.(operation.batch),
      afterEach: operation.after === undefined ? undefined : () => operation.after?.(),
    });
  }
  if (warmup) await bench.warmup();
  await bench.run();
  return cases.map((operation, index) => {
    const samples = bench.getTask(`case-${index}`)?.result?.samples ?? [];
    return samples.map((ms) => (ms * 1000) / operation.batch);
  });
}

/**
 * Times `baseline` and `operations` in `options.rounds` rounds. A ratio is, per round, the
 * operation's median call time over the baseline's, then the median of those over rounds.
 */
export async function measureRatios(
  baseline: OperationCase,
  operations: readonly OperationCase[],
  options: MeasureOptions,
): Promise<Measured> {
  const cases = [baseline, ...operations];
  const all: number[][] = cases.map(() => []);
  const ratios: number[][] = operations.map(() => []);
  for (let round = 0; round < options.rounds; round++) {
    const samples = await timeRound(cases, options, round === 0, round % 2 === 1);
    const base = median(samples[0]!);
    samples.forEach((perCall, index) => {
      all[index]!.push(...perCall);
      if (index > 0) ratios[index - 1]!.push(median(perCall) / base);
    });
  }
  return {
    baseline: absolute(all[0]!),
    operations: operations.map((_, index) => {
      const perRound = ratios[index]!;
      const { min, max } = range(perRound);
      return { ratio: median(perRound), ratioMin: min, ratioMax: max, absolute: absolute(all[index + 1]!) };
    }),
  };
}
