/**
 * The executor a job step calls: where the real work of a job runs (a batch system, Kubernetes,
 * a TRAC runtime, a shell command). Every call carries the entry revision the step was granted
 * at: the fencing token, and the idempotency key that lets the executor refuse or repeat a stale
 * call.
 * @module
 */
import type { LifecycleStep, StepOutcome } from "./lifecycle.js";

/** One call from a job step to the executor. */
export interface ExecutorCall {
  readonly jobKey: string;
  /** The step to run: the job's status, the operation, and the outcomes it may report. */
  readonly step: LifecycleStep;
  /** The entry revision the ticket was granted at: fencing token and idempotency key. */
  readonly fencingToken: number;
  /** The orchestrator instance making the call. */
  readonly instanceId: string;
  /** Aborted when the ticket is lost or the step is cancelled: stop at once, nothing will be committed. */
  readonly signal: AbortSignal;
}

/** Runs the external part of one job step and says how it went (an event of the lifecycle). */
export interface Executor {
  call(call: ExecutorCall): Promise<StepOutcome>;
}

/** Success outcomes a finished piece of work reports, best first (TRAC's names, then the generic one). */
const SUCCESS = ["step.done", "executor.succeeded", "executor.complete", "results.received"];

/** Failure outcomes, best first. */
const FAILURE = ["executor.failed", "results.invalid", "step.failed"];

/**
 * The outcome that says "the work finished" (`ok`) or "it failed" for `step`, among those it
 * offers: a failure that the lifecycle may retry (`step.failed` is `retryable`).
 */
export function finishedOutcome(step: LifecycleStep, ok: boolean, error?: unknown): StepOutcome {
  const offered = step.outcomes;
  if (ok) {
    const type =
      SUCCESS.find((t) => offered.includes(t)) ?? offered.find((t) => !FAILURE.includes(t)) ?? "step.done";
    return { type };
  }
  const type = FAILURE.find((t) => offered.includes(t)) ?? "step.failed";
  return type === "step.failed"
    ? ({ type, retryable: true, ...(error === undefined ? {} : { error }) } as StepOutcome)
    : { type };
}
