/**
 * The executor a job step calls: where the real work of a job runs (a batch system, Kubernetes,
 * a TRAC runtime). Every call carries the entry revision the step was granted at: the fencing
 * token, and the idempotency key that lets the executor refuse or repeat a stale call.
 * @module
 */

/** One call from a job step to the executor. */
export interface ExecutorCall {
  readonly jobKey: string;
  /** The job state the step starts from (the entry's status). */
  readonly status: string;
  /** The entry revision the ticket was granted at: fencing token and idempotency key. */
  readonly fencingToken: number;
  /** Aborted when the ticket is lost: stop at once, nothing will be committed. */
  readonly signal: AbortSignal;
}

/** What the executor says about a step. */
export type ExecutorOutcome = "succeeded" | "failed";

/** Runs the external part of one job step. */
export interface Executor {
  call(call: ExecutorCall): Promise<ExecutorOutcome>;
}
