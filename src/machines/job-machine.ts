/**
 * TRAC's job lifecycle as a statechart. Each atomic state is a job status (the cache entry's
 * `status`); one *step* is: take an entry in some status, run that status's work (`meta.step`)
 * under a ticket at the entry's revision, and write the status the machine reaches on the
 * reported outcome (or delete the entry on reaching `removed`). Pure data: no actors, no timers.
 * Ask it with {@link nextJobStep} (`next-job-step.ts`), never with a hand-written table.
 * @module
 */
import { assign, setup } from "xstate";
import {
  JOB_RETRY_LIMIT,
  JOB_REVISION_LIMIT,
  type JobContext,
  type JobOutcome,
  type JobStepMeta,
} from "./job-events.js";

const executorStep: JobStepMeta = { step: "poll_executor", ticket: "executor" };

/**
 * TRAC waits this long between scheduling a removal and removing the entry, so clients polling
 * for the job's result still find it for a while (TRAC's `SCHEDULED_REMOVAL_DURATION`, 2 minutes).
 */
const REMOVAL_DELAY_MS = 120_000;

/** The job machine. Input: the position the step starts from (`revision`, `retries`). */
export const jobMachine = setup({
  types: {
    context: {} as JobContext,
    input: {} as JobContext,
    events: {} as JobOutcome,
    meta: {} as Partial<JobStepMeta>,
  },
  guards: {
    revisionLimitReached: ({ context }) => context.revision >= JOB_REVISION_LIMIT,
    retriesLeft: ({ context }) => context.retries < JOB_RETRY_LIMIT,
    retryableWithRetriesLeft: ({ context, event }) =>
      event.type === "step.failed" && event.retryable && context.retries < JOB_RETRY_LIMIT,
  },
  actions: {
    countRetry: assign(({ context }) => ({ retries: context.retries + 1 })),
  },
}).createMachine({
  id: "job",
  description: "TRAC's job lifecycle: one status per step, written under a ticket",
  context: ({ input }) => ({ revision: input.revision, retries: input.retries }),
  initial: "processing",
  states: {
    processing: {
      description: "from queued to results saved; guarded by the retry and revision limits",
      // checked after every outcome, so a job at the limit fails whatever its step reported
      always: { guard: "revisionLimitReached", target: "PROCESSING_FAILED" },
      on: {
        "step.failed": [
          // a targetless transition: same status, one more retry, written as a new revision
          { guard: "retryableWithRetriesLeft", actions: "countRetry" },
          { target: "PROCESSING_FAILED" },
        ],
      },
      initial: "QUEUED_IN_TRAC",
      states: {
        QUEUED_IN_TRAC: {
          meta: { step: "schedule_launch", ticket: "cache" },
          on: { "step.done": "LAUNCH_SCHEDULED" },
        },
        LAUNCH_SCHEDULED: {
          meta: { step: "launch_job", ticket: "executor" },
          on: { "step.done": "executor" },
        },
        executor: {
          description: "sent to the executor and polled until it reports an end",
          initial: "SENT_TO_EXECUTOR",
          on: {
            "executor.succeeded": "EXECUTOR_SUCCEEDED",
            "executor.failed": "EXECUTOR_FAILED",
            "executor.complete": "EXECUTOR_COMPLETE",
          },
          states: {
            SENT_TO_EXECUTOR: {
              meta: executorStep,
              on: { "executor.queued": "QUEUED_IN_EXECUTOR", "executor.running": "RUNNING_IN_EXECUTOR" },
            },
            QUEUED_IN_EXECUTOR: {
              meta: executorStep,
              on: { "executor.running": "RUNNING_IN_EXECUTOR" },
            },
            // a poll that reports what is already recorded changes nothing, so it writes nothing
            RUNNING_IN_EXECUTOR: { meta: executorStep },
          },
        },
        EXECUTOR_SUCCEEDED: {
          meta: { step: "fetch_job_result", ticket: "executor" },
          on: { "results.received": "RESULTS_RECEIVED", "results.invalid": "RESULTS_INVALID" },
        },
        EXECUTOR_COMPLETE: {
          meta: { step: "fetch_job_result", ticket: "executor" },
          on: { "results.received": "RESULTS_RECEIVED", "results.invalid": "RESULTS_INVALID" },
        },
        EXECUTOR_FAILED: {
          meta: { step: "retry_or_fail", ticket: "cache" },
          on: {
            "step.done": [
              { guard: "retriesLeft", target: "LAUNCH_SCHEDULED", actions: "countRetry" },
              { target: "#job.PROCESSING_FAILED" },
            ],
          },
        },
        RESULTS_RECEIVED: {
          meta: { step: "save_result_metadata", ticket: "cache" },
          on: { "step.done": "RESULTS_SAVED" },
        },
        RESULTS_INVALID: {
          meta: { step: "save_result_metadata", ticket: "cache" },
          on: { "step.done": "RESULTS_SAVED" },
        },
        RESULTS_SAVED: {
          meta: { step: "finish_job", ticket: "cache" },
          on: { "step.done": "#job.READY_FOR_CLEANUP" },
        },
      },
    },
    // Cleanup is idempotent and has nowhere further to fail to: a failed cleanup step writes
    // nothing (no transition), and the next poll tries it again.
    PROCESSING_FAILED: {
      description: "the job is recorded as failed, then cleaned up",
      meta: { step: "record_failure", ticket: "cache" },
      on: { "step.done": "READY_FOR_CLEANUP" },
    },
    READY_FOR_CLEANUP: {
      meta: { step: "clean_up_job", ticket: "executor" },
      on: { "step.done": "READY_TO_REMOVE" },
    },
    READY_TO_REMOVE: {
      meta: { step: "schedule_removal", ticket: "cache" },
      on: { "step.done": "SCHEDULED_TO_REMOVE" },
    },
    SCHEDULED_TO_REMOVE: {
      meta: { step: "remove_job", ticket: "cache", notBeforeMs: REMOVAL_DELAY_MS },
      on: { "step.done": "removed" },
    },
    removed: {
      description: "the entry is deleted (deleteEntry under the ticket)",
      type: "final",
    },
  },
});

/** The job machine's type. */
export type JobMachine = typeof jobMachine;
