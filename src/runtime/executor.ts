/**
 * The executor a job step calls: where the real work of a job runs (a batch system, Kubernetes,
 * a TRAC runtime). Every call carries the entry revision the step was granted at: the fencing
 * token, and the idempotency key that lets the executor refuse or repeat a stale call.
 * @module
 */
import type { JobOutcome } from "../machines/job-events.js";
import type { JobStep } from "../machines/next-job-step.js";

/** One call from a job step to the executor. */
export interface ExecutorCall {
  readonly jobKey: string;
  /** The step to run: the job's status, the operation, and the outcomes it may report. */
  readonly step: JobStep;
  /** The entry revision the ticket was granted at: fencing token and idempotency key. */
  readonly fencingToken: number;
  /** Aborted when the ticket is lost: stop at once, nothing will be committed. */
  readonly signal: AbortSignal;
}

/** Runs the external part of one job step and says how it went. */
export interface Executor {
  call(call: ExecutorCall): Promise<JobOutcome>;
}
