/**
 * A clock a mutant store can turn back for the duration of one synchronous call, so a correct
 * LocalStore underneath makes exactly one wrong decision (the bug under test) and no other.
 * @module
 */
import type { Clock } from "../../../src/base/clock.js";

export class RewindableClock implements Clock {
  #rewoundTo: number | undefined;

  constructor(private readonly base: Clock) {}

  now(): number {
    return this.#rewoundTo ?? this.base.now();
  }

  /** The real time, whatever the rewind. */
  realNow(): number {
    return this.base.now();
  }

  /**
   * Calls `call` with the clock at `time`. LocalStore decides synchronously before its first
   * await, so the rewind covers the decision and nothing else.
   */
  at<T>(time: number, call: () => Promise<T>): Promise<T> {
    this.#rewoundTo = time;
    try {
      return call();
    } finally {
      this.#rewoundTo = undefined;
    }
  }
}
