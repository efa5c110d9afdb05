/**
 * One thing a benchmark times: a call, with untimed preparation around it. Baselines and cache
 * operations have the same shape, so one measuring loop serves both.
 * @module
 */

/** A timed call and its untimed set-up. */
export interface OperationCase {
  /** Short name, e.g. "grant+close". */
  readonly name: string;
  /** What one call does, in API terms. */
  readonly what: string;
  /**
   * Calls per timed sample. Calls of a few nanoseconds (the LOCAL Map baseline) are batched so
   * the timer's own cost (~50 ns a reading) stays small beside them.
   */
  readonly batch: number;
  /** Untimed: prepares the next `count` calls (e.g. opens fresh tickets). */
  before?(count: number): Promise<void>;
  /** One call. A synchronous call returns undefined, so no await is paid for it. */
  call(): Promise<unknown> | undefined;
  /** Untimed: cleans up after the calls prepared by `before`. */
  after?(): Promise<void>;
}

/** Runs `count` calls of `operation` one after another, with its set-up and clean-up. */
export async function runCalls(operation: OperationCase, count: number): Promise<void> {
  await operation.before?.(count);
  try {
    for (let i = 0; i < count; i++) await operation.call();
  } finally {
    await operation.after?.();
  }
}
