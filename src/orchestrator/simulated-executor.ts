import { setTimeout as delay } from "node:timers/promises";
import { EInvalidArgument } from "../errors.js";
import type { Executor, ExecutorCall, ExecutorOutcome } from "./executor.js";

/** Settings of the {@link SimulatedExecutor}. */
export interface SimulatedExecutorOptions {
  /** Chance in [0, 1] that a call reports failure. @defaultValue 0 */
  failureRate?: number;
  /** Shortest and longest time a call takes, in ms. @defaultValue [1, 5] */
  delayMs?: readonly [number, number];
  /** Source of randomness in [0, 1), for repeatable runs. @defaultValue Math.random */
  random?: () => number;
}

/**
 * An executor that waits a random time and sometimes fails: for `jobcache run`, tests and
 * benchmarks. It honours the abort signal and remembers results by idempotency key
 * (job + fencing token), so a repeated call returns what the first one said.
 */
export class SimulatedExecutor implements Executor {
  readonly #failureRate: number;
  readonly #delay: readonly [number, number];
  readonly #random: () => number;
  readonly #results = new Map<string, ExecutorOutcome>();
  #calls = 0;

  constructor(options: SimulatedExecutorOptions = {}) {
    const failureRate = options.failureRate ?? 0;
    if (!(failureRate >= 0 && failureRate <= 1)) {
      throw new EInvalidArgument("failureRate", `failureRate must be between 0 and 1, got ${failureRate}`);
    }
    const [low, high] = options.delayMs ?? [1, 5];
    if (!(low >= 0 && high >= low)) {
      throw new EInvalidArgument("delayMs", `delayMs must be [min, max] with 0 <= min <= max, got [${low}, ${high}]`);
    }
    this.#failureRate = failureRate;
    this.#delay = [low, high];
    this.#random = options.random ?? Math.random;
  }

  /** How many calls did work (repeats answered from memory are not counted). */
  get calls(): number {
    return this.#calls;
  }

  async call(call: ExecutorCall): Promise<ExecutorOutcome> {
    const idempotencyKey = `${call.jobKey}@${call.fencingToken}`;
    const known = this.#results.get(idempotencyKey);
    if (known !== undefined) return known;
    this.#calls += 1;
    const [low, high] = this.#delay;
    const wait = low + (high - low) * this.#random();
    if (wait > 0) await delay(wait, undefined, { signal: call.signal });
    call.signal.throwIfAborted();
    const outcome: ExecutorOutcome = this.#random() < this.#failureRate ? "failed" : "succeeded";
    this.#results.set(idempotencyKey, outcome);
    return outcome;
  }
}
