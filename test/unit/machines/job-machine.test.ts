import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { initialTransition } from "xstate";
import { EInvalidArgument } from "../../../src/base/errors.js";
import {
  JOB_RETRY_LIMIT,
  JOB_REVISION_LIMIT,
  JOB_STATUSES,
  type JobOutcome,
  type JobStatus,
} from "../../../src/machines/job-events.js";
import { jobMachine } from "../../../src/machines/job-machine.js";
import { isJobStatus, jobStepFor, nextJobStep } from "../../../src/machines/next-job-step.js";

const done: JobOutcome = { type: "step.done" };
const at = (status: JobStatus, retries = 0, revision = 5) => ({ status, revision, retries });

describe("job machine: every transition", () => {
  it("starts queued in TRAC", () => {
    const [snapshot] = initialTransition(jobMachine, { revision: 1, retries: 0 });
    expect(snapshot.value).toEqual({ processing: "QUEUED_IN_TRAC" });
  });

  it.each<[JobStatus, JobOutcome["type"], JobStatus]>([
    ["QUEUED_IN_TRAC", "step.done", "LAUNCH_SCHEDULED"],
    ["LAUNCH_SCHEDULED", "step.done", "SENT_TO_EXECUTOR"],
    ["SENT_TO_EXECUTOR", "executor.queued", "QUEUED_IN_EXECUTOR"],
    ["SENT_TO_EXECUTOR", "executor.running", "RUNNING_IN_EXECUTOR"],
    ["SENT_TO_EXECUTOR", "executor.succeeded", "EXECUTOR_SUCCEEDED"],
    ["QUEUED_IN_EXECUTOR", "executor.running", "RUNNING_IN_EXECUTOR"],
    ["QUEUED_IN_EXECUTOR", "executor.failed", "EXECUTOR_FAILED"],
    ["RUNNING_IN_EXECUTOR", "executor.succeeded", "EXECUTOR_SUCCEEDED"],
    ["RUNNING_IN_EXECUTOR", "executor.failed", "EXECUTOR_FAILED"],
    ["RUNNING_IN_EXECUTOR", "executor.complete", "EXECUTOR_COMPLETE"],
    ["EXECUTOR_SUCCEEDED", "results.received", "RESULTS_RECEIVED"],
    ["EXECUTOR_SUCCEEDED", "results.invalid", "RESULTS_INVALID"],
    ["EXECUTOR_COMPLETE", "results.received", "RESULTS_RECEIVED"],
    ["EXECUTOR_COMPLETE", "results.invalid", "RESULTS_INVALID"],
    ["RESULTS_RECEIVED", "step.done", "RESULTS_SAVED"],
    ["RESULTS_INVALID", "step.done", "RESULTS_SAVED"],
    ["RESULTS_SAVED", "step.done", "READY_FOR_CLEANUP"],
    ["PROCESSING_FAILED", "step.done", "READY_FOR_CLEANUP"],
    ["READY_FOR_CLEANUP", "step.done", "READY_TO_REMOVE"],
    ["READY_TO_REMOVE", "step.done", "SCHEDULED_TO_REMOVE"],
  ])("%s + %s -> %s", (status, type, next) => {
    expect(nextJobStep(at(status), { type } as JobOutcome)).toEqual({
      kind: "update",
      status: next,
      retries: 0,
    });
  });

  it("SCHEDULED_TO_REMOVE + step.done deletes the entry", () => {
    expect(nextJobStep(at("SCHEDULED_TO_REMOVE"), done)).toEqual({ kind: "delete" });
  });

  it.each<[JobStatus, JobOutcome["type"]]>([
    ["RUNNING_IN_EXECUTOR", "executor.running"],
    ["RUNNING_IN_EXECUTOR", "executor.queued"],
    ["QUEUED_IN_EXECUTOR", "executor.queued"],
    ["QUEUED_IN_TRAC", "executor.succeeded"],
    ["SENT_TO_EXECUTOR", "step.done"],
    ["RESULTS_SAVED", "results.received"],
  ])("%s + %s is ignored: no news, or not this step's outcome, writes nothing", (status, type) => {
    expect(nextJobStep(at(status), { type } as JobOutcome)).toEqual({ kind: "ignored" });
  });

  it("rejects a status that is not a job status", () => {
    expect(isJobStatus("RUNNING")).toBe(false);
    expect(() => nextJobStep({ status: "RUNNING", revision: 1, retries: 0 }, done)).toThrow(EInvalidArgument);
    expect(() => jobStepFor("removed")).toThrow(EInvalidArgument);
  });
});

describe("job machine: retry limit", () => {
  it(`EXECUTOR_FAILED relaunches ${JOB_RETRY_LIMIT} times, then PROCESSING_FAILED`, () => {
    expect(nextJobStep(at("EXECUTOR_FAILED", 0), done)).toEqual({
      kind: "update",
      status: "LAUNCH_SCHEDULED",
      retries: 1,
    });
    expect(nextJobStep(at("EXECUTOR_FAILED", 1), done)).toEqual({
      kind: "update",
      status: "LAUNCH_SCHEDULED",
      retries: 2,
    });
    expect(nextJobStep(at("EXECUTOR_FAILED", 2), done)).toEqual({
      kind: "update",
      status: "PROCESSING_FAILED",
      retries: 2,
    });
  });

  it("a retryable step failure repeats the status with one more retry, up to the limit", () => {
    const failure: JobOutcome = { type: "step.failed", retryable: true };
    expect(nextJobStep(at("LAUNCH_SCHEDULED", 0), failure)).toEqual({
      kind: "update",
      status: "LAUNCH_SCHEDULED",
      retries: 1,
    });
    expect(nextJobStep(at("RUNNING_IN_EXECUTOR", 1), failure)).toEqual({
      kind: "update",
      status: "RUNNING_IN_EXECUTOR",
      retries: 2,
    });
    expect(nextJobStep(at("LAUNCH_SCHEDULED", 2), failure)).toEqual({
      kind: "update",
      status: "PROCESSING_FAILED",
      retries: 2,
    });
  });

  it("a fatal step failure fails processing at once", () => {
    const fatal: JobOutcome = { type: "step.failed", retryable: false, error: new Error("bad job") };
    expect(nextJobStep(at("QUEUED_IN_TRAC", 0), fatal)).toEqual({
      kind: "update",
      status: "PROCESSING_FAILED",
      retries: 0,
    });
  });

  it("a failed cleanup step writes nothing: polling retries it", () => {
    for (const status of [
      "PROCESSING_FAILED",
      "READY_FOR_CLEANUP",
      "READY_TO_REMOVE",
      "SCHEDULED_TO_REMOVE",
    ] as const) {
      expect(nextJobStep(at(status, 2), { type: "step.failed", retryable: false })).toEqual({
        kind: "ignored",
      });
    }
  });
});

describe("job machine: revision limit", () => {
  it(`a job at revision ${JOB_REVISION_LIMIT} goes to PROCESSING_FAILED whatever its step reported`, () => {
    const position = { status: "RUNNING_IN_EXECUTOR", revision: JOB_REVISION_LIMIT, retries: 0 };
    for (const type of ["executor.succeeded", "executor.running"] as const) {
      expect(nextJobStep(position, { type })).toEqual({
        kind: "update",
        status: "PROCESSING_FAILED",
        retries: 0,
      });
    }
    expect(
      nextJobStep({ ...position, revision: JOB_REVISION_LIMIT - 1 }, { type: "executor.succeeded" }),
    ).toEqual({
      kind: "update",
      status: "EXECUTOR_SUCCEEDED",
      retries: 0,
    });
  });

  it("cleanup continues past the limit, so a failed job is still removed", () => {
    expect(nextJobStep(at("PROCESSING_FAILED", 0, 150), done)).toEqual({
      kind: "update",
      status: "READY_FOR_CLEANUP",
      retries: 0,
    });
    expect(nextJobStep(at("SCHEDULED_TO_REMOVE", 0, 153), done)).toEqual({ kind: "delete" });
  });

  it("any walk through processing reaches the cleanup path within the limit", () => {
    const cleanup = new Set([
      "PROCESSING_FAILED",
      "READY_FOR_CLEANUP",
      "READY_TO_REMOVE",
      "SCHEDULED_TO_REMOVE",
    ]);
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 200, maxLength: 200 }), (choices) => {
        let position = { status: "QUEUED_IN_TRAC" as string, revision: 1, retries: 0 };
        for (const choice of choices) {
          if (cleanup.has(position.status)) break;
          const outcomes: JobOutcome[] = [
            ...jobStepFor(position.status)
              .outcomes.filter((type) => type !== "step.failed")
              .map((type) => ({ type }) as JobOutcome),
            { type: "step.failed", retryable: true },
            { type: "step.failed", retryable: false },
          ];
          const next = nextJobStep(position, outcomes[choice % outcomes.length]!);
          expect(next.kind).not.toBe("delete");
          if (next.kind === "update") {
            expect(isJobStatus(next.status)).toBe(true);
            expect(next.retries).toBeLessThanOrEqual(JOB_RETRY_LIMIT);
            position = { status: next.status, revision: position.revision + 1, retries: next.retries };
          }
        }
        expect(cleanup.has(position.status)).toBe(true);
        expect(position.revision).toBeLessThanOrEqual(JOB_REVISION_LIMIT + 1);
      }),
      { numRuns: 300 },
    );
  });
});

describe("job steps, read from the machine", () => {
  it("names each status's operation and ticket kind as TRAC does", () => {
    const steps = Object.fromEntries(
      JOB_STATUSES.map((s) => [s, [jobStepFor(s).step, jobStepFor(s).ticket]]),
    );
    expect(steps).toEqual({
      QUEUED_IN_TRAC: ["schedule_launch", "cache"],
      LAUNCH_SCHEDULED: ["launch_job", "executor"],
      SENT_TO_EXECUTOR: ["poll_executor", "executor"],
      QUEUED_IN_EXECUTOR: ["poll_executor", "executor"],
      RUNNING_IN_EXECUTOR: ["poll_executor", "executor"],
      EXECUTOR_SUCCEEDED: ["fetch_job_result", "executor"],
      EXECUTOR_FAILED: ["retry_or_fail", "cache"],
      EXECUTOR_COMPLETE: ["fetch_job_result", "executor"],
      RESULTS_RECEIVED: ["save_result_metadata", "cache"],
      RESULTS_INVALID: ["save_result_metadata", "cache"],
      RESULTS_SAVED: ["finish_job", "cache"],
      PROCESSING_FAILED: ["record_failure", "cache"],
      READY_FOR_CLEANUP: ["clean_up_job", "executor"],
      READY_TO_REMOVE: ["schedule_removal", "cache"],
      SCHEDULED_TO_REMOVE: ["remove_job", "cache"],
    });
    expect(jobStepFor("SCHEDULED_TO_REMOVE").notBeforeMs).toBe(120_000);
  });

  it("lists the outcomes each step can report", () => {
    expect([...jobStepFor("QUEUED_IN_TRAC").outcomes].sort()).toEqual(["step.done", "step.failed"]);
    expect([...jobStepFor("RUNNING_IN_EXECUTOR").outcomes].sort()).toEqual([
      "executor.complete",
      "executor.failed",
      "executor.succeeded",
      "step.failed",
    ]);
    expect([...jobStepFor("EXECUTOR_COMPLETE").outcomes].sort()).toEqual([
      "results.invalid",
      "results.received",
      "step.failed",
    ]);
    expect(jobStepFor("READY_TO_REMOVE").outcomes).toEqual(["step.done"]);
  });

  it("a whole lifecycle: three failed launches, then failure is recorded and the job removed", () => {
    const script: JobOutcome["type"][] = [
      "step.done",
      ...Array.from({ length: JOB_RETRY_LIMIT + 1 }, (): JobOutcome["type"][] => [
        "step.done",
        "executor.running",
        "executor.failed",
        "step.done",
      ]).flat(),
      "step.done",
      "step.done",
      "step.done",
      "step.done",
    ];
    let position = { status: "QUEUED_IN_TRAC" as string, revision: 1, retries: 0 };
    const seen: string[] = [position.status];
    for (const type of script) {
      const next = nextJobStep(position, { type } as JobOutcome);
      if (next.kind === "delete") {
        seen.push("removed");
        break;
      }
      if (next.kind === "update") {
        position = { status: next.status, revision: position.revision + 1, retries: next.retries };
        seen.push(next.status);
      }
    }
    expect(seen.filter((s) => s === "LAUNCH_SCHEDULED")).toHaveLength(JOB_RETRY_LIMIT + 1);
    expect(seen.slice(-6)).toEqual([
      "EXECUTOR_FAILED",
      "PROCESSING_FAILED",
      "READY_FOR_CLEANUP",
      "READY_TO_REMOVE",
      "SCHEDULED_TO_REMOVE",
      "removed",
    ]);
  });
});
