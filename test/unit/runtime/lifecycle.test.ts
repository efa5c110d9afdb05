import { EInvalidArgument } from "jobcache";
import { machineLifecycle, statusTable, tracLifecycle } from "jobcache/orchestrator";
import { describe, expect, it } from "vitest";
import { setup } from "xstate";
import { JOB_STATUSES, type JobOutcome } from "../../../src/machines/job-events.js";
import { jobStepFor, nextJobStep } from "../../../src/machines/next-job-step.js";

const OUTCOMES: JobOutcome[] = [
  { type: "step.done" },
  { type: "step.failed", retryable: true },
  { type: "step.failed", retryable: false },
  { type: "executor.queued" },
  { type: "executor.running" },
  { type: "executor.succeeded" },
  { type: "executor.failed" },
  { type: "executor.complete" },
  { type: "results.received" },
  { type: "results.invalid" },
];

describe("tracLifecycle", () => {
  it("answers exactly as the job machine's own queries, for every status, outcome, retry count and revision", () => {
    expect(new Set(tracLifecycle.statuses)).toEqual(new Set(JOB_STATUSES));
    expect(tracLifecycle.initialStatus).toBe("QUEUED_IN_TRAC");
    for (const status of JOB_STATUSES) {
      const { status: s, step, ticket, outcomes } = jobStepFor(status);
      expect(tracLifecycle.step(status)).toMatchObject({ status: s, step, ticket });
      expect(new Set(tracLifecycle.step(status)?.outcomes)).toEqual(new Set(outcomes));
      for (const retries of [0, 1, 2]) {
        for (const revision of [1, 50, 99, 100]) {
          for (const outcome of OUTCOMES) {
            const expected = nextJobStep({ status, revision, retries }, outcome);
            const value = { retries, note: "kept" };
            const actual = tracLifecycle.next({ key: "k", status, revision, value }, outcome);
            if (expected.kind === "update") {
              expect(actual).toEqual({
                kind: "update",
                status: expected.status,
                value: { ...value, retries: expected.retries },
              });
            } else {
              expect(actual).toEqual(expected);
            }
          }
        }
      }
    }
  });
});

describe("statusTable", () => {
  const table = statusTable<number>({
    NEW: { step: "resize", on: { ok: "DONE", bad: "FAILED", gone: null } },
    DONE: {},
    FAILED: { step: "report", ticket: "executor", notBeforeMs: 5 },
  });

  it("polls the statuses with a step; the first row is initial", () => {
    expect(table.statuses).toEqual(["NEW", "FAILED"]);
    expect(table.initialStatus).toBe("NEW");
    expect(table.step("NEW")).toEqual({
      status: "NEW",
      step: "resize",
      ticket: "cache",
      outcomes: ["ok", "bad", "gone"],
    });
    expect(table.step("FAILED")).toMatchObject({ ticket: "executor", notBeforeMs: 5, outcomes: [] });
    expect(table.step("DONE")).toBeUndefined();
    expect(table.step("toString")).toBeUndefined();
  });

  it("moves, deletes, or writes nothing", () => {
    const job = { key: "k", status: "NEW", revision: 1, value: 7 };
    expect(table.next(job, { type: "ok" })).toEqual({ kind: "update", status: "DONE", value: 7 });
    expect(table.next(job, { type: "gone" })).toEqual({ kind: "delete" });
    expect(table.next(job, { type: "unknown" })).toEqual({ kind: "ignored" });
    expect(table.next(job, { type: "constructor" })).toEqual({ kind: "ignored" });
  });

  it("rejects a table that leads nowhere or names a status badly, with EInvalidArgument", () => {
    expect(() => statusTable({})).toThrow(EInvalidArgument);
    expect(() => statusTable({ A: { step: "x", on: { ok: "B" } } })).toThrow(/unknown status "B"/);
    expect(() => statusTable({ "no spaces": {} })).toThrow(/not a valid status name/);
  });
});

describe("machineLifecycle", () => {
  it("rejects a machine whose statuses are not unique, or that has parallel states", () => {
    const twice = setup({}).createMachine({
      initial: "a",
      states: { a: { initial: "X", states: { X: {} } }, b: { initial: "X", states: { X: {} } } },
    });
    expect(() => machineLifecycle(twice)).toThrow(/two states are named X/);
    const parallel = setup({}).createMachine({ type: "parallel", states: { a: {}, b: {} } });
    expect(() => machineLifecycle(parallel)).toThrow(/parallel/);
  });

  it("finds the innermost initial status and the steps from meta", () => {
    const machine = setup({}).createMachine({
      initial: "outer",
      states: {
        outer: { initial: "FIRST", states: { FIRST: { meta: { step: "go" }, on: { ok: "#m.END" } } } },
        END: { type: "final" },
      },
      id: "m",
    });
    const lifecycle = machineLifecycle<null>(machine);
    expect(lifecycle.initialStatus).toBe("FIRST");
    expect(lifecycle.statuses).toEqual(["FIRST"]);
    expect(lifecycle.next({ key: "k", status: "FIRST", revision: 1, value: null }, { type: "ok" })).toEqual({
      kind: "delete",
    });
    expect(() =>
      lifecycle.next({ key: "k", status: "NOPE", revision: 1, value: null }, { type: "ok" }),
    ).toThrow(EInvalidArgument);
  });
});
