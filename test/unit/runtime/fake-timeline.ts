/**
 * A manual clock with timers: the one time source for a test, shared by the LOCAL cache (its
 * `now()`) and the ticket actor (its `now()` and timers). Time moves only in {@link passTime},
 * which fires due timers in order, each at its own due time, letting promises settle after each.
 */
import { ManualClock } from "../../../src/base/clock.js";
import type { Timers } from "../../../src/base/timers.js";

interface Pending {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

/** Lets every queued promise callback run (in-memory stores and fakes only; no real I/O). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export class FakeTimeline extends ManualClock implements Timers {
  readonly #pending = new Map<number, Pending>();
  #seq = 0;

  setTimeout(fn: () => void, ms: number): unknown {
    const seq = ++this.#seq;
    this.#pending.set(seq, { at: this.now() + Math.max(0, ms), seq, fn });
    return seq;
  }

  clearTimeout(handle: unknown): void {
    this.#pending.delete(handle as number);
  }

  /** Timers scheduled and neither fired nor cleared. */
  get pendingTimers(): number {
    return this.#pending.size;
  }

  /** The earliest due time, if any timer is pending. */
  get nextDue(): number | undefined {
    const next = this.#next();
    return next?.at;
  }

  #next(): Pending | undefined {
    let best: Pending | undefined;
    for (const p of this.#pending.values()) {
      if (best === undefined || p.at < best.at || (p.at === best.at && p.seq < best.seq)) best = p;
    }
    return best;
  }

  /** Moves time forward by `ms`, firing each due timer at its due time, settling after each. */
  async passTime(ms: number): Promise<void> {
    const end = this.now() + ms;
    await settle();
    for (let next = this.#next(); next !== undefined && next.at <= end; next = this.#next()) {
      this.#pending.delete(next.seq);
      if (next.at > this.now()) this.advance(next.at - this.now());
      next.fn();
      await settle();
    }
    if (end > this.now()) this.advance(end - this.now());
    await settle();
  }
}

/** The value of a promise that must already have settled: fails at once instead of hanging. */
export async function ended<T>(promise: Promise<T>): Promise<T> {
  let result: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  // handlers attached at once, so a rejection is never reported as unhandled while settling
  promise.then(
    (value) => {
      result = { ok: true, value };
    },
    (error: unknown) => {
      result = { ok: false, error };
    },
  );
  await settle();
  if (result === undefined) throw new Error("the step has not ended yet");
  if (!result.ok) throw result.error;
  return result.value;
}
