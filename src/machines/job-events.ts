/**
 * The vocabulary of the job machine: TRAC's job statuses (the cache entry's `status` is the job
 * state), the limits, the outcomes a step reports, and the step descriptions on each state.
 * @module
 */

/** Every status a job entry can have, in lifecycle order (TRAC's `CacheStatus`). */
export const JOB_STATUSES = [
  "QUEUED_IN_TRAC",
  "LAUNCH_SCHEDULED",
  "SENT_TO_EXECUTOR",
  "QUEUED_IN_EXECUTOR",
  "RUNNING_IN_EXECUTOR",
  "EXECUTOR_SUCCEEDED",
  "EXECUTOR_FAILED",
  "EXECUTOR_COMPLETE",
  "RESULTS_RECEIVED",
  "RESULTS_INVALID",
  "RESULTS_SAVED",
  "PROCESSING_FAILED",
  "READY_FOR_CLEANUP",
  "READY_TO_REMOVE",
  "SCHEDULED_TO_REMOVE",
] as const;

/** A job status: the job machine's state and the cache entry's `status`. */
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * Retries a job gets before `PROCESSING_FAILED`: relaunches after `EXECUTOR_FAILED` and retried
 * step errors share the count. 2, as TRAC's `PROCESSING_RETRY_LIMIT`.
 */
export const JOB_RETRY_LIMIT = 2;

/**
 * A job whose entry revision reaches this goes to `PROCESSING_FAILED`. Every step writes one
 * revision and a normal lifecycle takes about 15, so 100 means a job going round in circles.
 */
export const JOB_REVISION_LIMIT = 100;

/** Where a job is: its entry's status and revision, and the retries recorded in its value. */
export interface JobPosition {
  readonly status: string;
  readonly revision: number;
  readonly retries: number;
}

/** What running one step reported: the event the job machine decides the next status from. */
export type JobOutcome =
  /** The step's work succeeded (launch scheduled, results saved, cleaned up, ...). */
  | { readonly type: "step.done" }
  /** The step's work failed; `retryable` errors (executor unavailable, timeouts) may be retried. */
  | { readonly type: "step.failed"; readonly retryable: boolean; readonly error?: unknown }
  /** Executor poll results. */
  | { readonly type: "executor.queued" }
  | { readonly type: "executor.running" }
  | { readonly type: "executor.succeeded" }
  | { readonly type: "executor.failed" }
  | { readonly type: "executor.complete" }
  /** Result fetch: the results were read and are valid, or could not be read or validated. */
  | { readonly type: "results.received" }
  | { readonly type: "results.invalid" };

/** The job machine's memory: the position the step started from. */
export interface JobContext {
  readonly revision: number;
  readonly retries: number;
}

/** Which ticket duration a step needs: short cache steps, or long executor calls (as TRAC). */
type JobTicketKind = "cache" | "executor";

/** What each status's step is, kept as the `meta` of its state node. */
export interface JobStepMeta {
  /** The operation the orchestrator runs for this status (TRAC's operation names). */
  readonly step: string;
  readonly ticket: JobTicketKind;
  /** Wait this long after the status was written before running the step. */
  readonly notBeforeMs?: number;
}
