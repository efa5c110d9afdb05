/**
 * Times baselines and operations in alternating rounds with tinybench, and divides each
 * operation by each baseline of its own round: a machine that slows down for a while (other
 * processes share the cores or the disk) slows the operation and the baseline that pays the
 * same costs, and their ratio stays put.
 * @module
 */
import { Bench } from "tinybench";
import type { AbsoluteTime, RatioResult } from "./bench-report.js";
import type { OperationCase } from "./operation-case.js";
import { median, range } from "./stats.js";

/** How long and how often to time. */
export interface MeasureOptions {
  /** Rounds; every round times every baseline and every operation once. */
  readonly rounds: number;
  /** Time per case per round, milliseconds (tinybench's `time`). */
  readonly taskTimeMs: number;
  /** Warm-up per case before the first round, milliseconds. */
  readonly warmupMs: number;
  /** At least this many samples per case per round, however slow the case. */
  readonly minSamples: number;
}

/** One operation: its time, and its ratio to each baseline. */
export interface MeasuredOperation {
  readonly absolute: AbsoluteTime;
  readonly ratios: readonly RatioResult[];
}

/** The baselines' times and the operations' ratios, in the order given. */
export interface Measured {
  readonly baselines: readonly AbsoluteTime[];
  readonly operations: readonly MeasuredOperation[];
}

function timedBatch(operation: OperationCase): () => Promise<void> {
  return async () => {
    for (let i = 0; i < operation.batch; i++) {
      const pending = operation.call();
      if (pending !== undefined) await pending;
    }
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

function absolute(roundMedians: readonly number[], samples: number, batch: number): AbsoluteTime {
  const { min, max } = range(roundMedians);
  return { medianUs: median(roundMedians), minUs: min, maxUs: max, samples, batch };
}

function ratio(operation: readonly number[], baseline: readonly number[]): RatioResult {
  const perRound = operation.map((value, round) => value / baseline[round]!);
  const { min, max } = range(perRound);
  return { ratio: median(perRound), min, max };
}

/**
 * Times `baselines` and `operations` in `options.rounds` rounds. A ratio is, per round, the
 * operation's median call time over the baseline's, then the median of those over rounds.
 */
export async function measureRatios(
  baselines: readonly OperationCase[],
  operations: readonly OperationCase[],
  options: MeasureOptions,
): Promise<Measured> {
  const cases = [...baselines, ...operations];
  const medians: number[][] = cases.map(() => []);
  const counts = cases.map(() => 0);
  for (let round = 0; round < options.rounds; round++) {
    const samples = await timeRound(cases, options, round === 0, round % 2 === 1);
    samples.forEach((perCall, index) => {
      medians[index]!.push(median(perCall));
      counts[index]! += perCall.length;
    });
  }
  const times = cases.map((operation, index) => absolute(medians[index]!, counts[index]!, operation.batch));
  return {
    baselines: times.slice(0, baselines.length),
    operations: operations.map((_, index) => {
      const own = medians[baselines.length + index]!;
      return {
        absolute: times[baselines.length + index]!,
        ratios: baselines.map((__, base) => ratio(own, medians[base]!)),
      };
    }),
  };
}
