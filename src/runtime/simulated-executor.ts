import { setTimeout as delay } from "node:timers/promises";
import { EInvalidArgument } from "../base/errors.js";
import { type Executor, type ExecutorCall, finishedOutcome } from "./executor.js";
import type { StepOutcome } from "./lifecycle.js";

/** Settings of the {@link SimulatedExecutor}. */
export interface SimulatedExecutorOptions {
  /** Chance in [0, 1] that a step fails. @defaultValue 0 */
  failureRate?: number;
  /** Shortest and longest time a call takes, in ms. @defaultValue [1, 5] */
  delayMs?: readonly [number, number];
  /** Source of randomness in [0, 1), for repeatable runs. @defaultValue Math.random */
  random?: () => number;
}

/** TRAC's executor outcomes in the order a real executor reports them: queued, running, done. */
const PROGRESS = ["executor.queued", "executor.running"];

/**
 * An executor that waits a random time and sometimes fails: for `jobcache run`, tests and
 * benchmarks. It walks TRAC's executor states one poll at a time, honours the abort signal, and
 * remembers answers by idempotency key (job and fencing token), so a repeated call gets the
 * first call's answer and does no work twice.
 */
export class SimulatedExecutor implements Executor {
  readonly #failureRate: number;
  readonly #delay: readonly [number, number];
  readonly #random: () => number;
  readonly #answers = new Map<string, StepOutcome>();
  #calls = 0;

  constructor(options: SimulatedExecutorOptions = {}) {
    const failureRate = options.failureRate ?? 0;
    if (!(failureRate >= 0 && failureRate <= 1)) {
      throw new EInvalidArgument("failureRate", `failureRate must be between 0 and 1, got ${failureRate}`);
    }
    const [low, high] = options.delayMs ?? [1, 5];
    if (!(low >= 0 && high >= low)) {
      throw new EInvalidArgument(
        "delayMs",
        `delayMs must be [min, max] with 0 <= min <= max, got [${low}, ${high}]`,
      );
    }
    this.#failureRate = failureRate;
    this.#delay = [low, high];
    this.#random = options.random ?? Math.random;
  }

  /** Calls that did work (repeats answered from memory are not counted). */
  get calls(): number {
    return this.#calls;
  }

  async call(call: ExecutorCall): Promise<StepOutcome> {
    const idempotencyKey = `${call.jobKey}@${call.fencingToken}`;
    const known = this.#answers.get(idempotencyKey);
    if (known !== undefined) return known;
    this.#calls += 1;
    const [low, high] = this.#delay;
    const wait = low + (high - low) * this.#random();
    if (wait > 0) await delay(wait, undefined, { signal: call.signal });
    call.signal.throwIfAborted();
    const failure = finishedOutcome(call.step, false);
    // a step with no failure outcome (TRAC's cleanup) would only be retried with the same answer
    const failing = this.#random() < this.#failureRate && call.step.outcomes.includes(failure.type);
    const progress = PROGRESS.find((t) => call.step.outcomes.includes(t));
    const answer = failing
      ? failure
      : progress !== undefined
        ? { type: progress }
        : finishedOutcome(call.step, true);
    this.#answers.set(idempotencyKey, answer);
    return answer;
  }
}
