import { describe, expect, it } from "vitest";
import { jobStepFor } from "../../../src/machines/next-job-step.js";
import { SimulatedExecutor } from "../../../src/runtime/simulated-executor.js";

const call = (status: string, fencingToken = 1, signal = new AbortController().signal) => ({
  jobKey: "job-1",
  step: jobStepFor(status),
  fencingToken,
  instanceId: "test",
  signal,
});

describe("SimulatedExecutor", () => {
  it("moves a job forward through the executor states when nothing fails", async () => {
    const executor = new SimulatedExecutor({ delayMs: [0, 0] });
    expect((await executor.call(call("SENT_TO_EXECUTOR"))).type).toBe("executor.queued");
    expect((await executor.call(call("QUEUED_IN_EXECUTOR", 2))).type).toBe("executor.running");
    expect((await executor.call(call("RUNNING_IN_EXECUTOR", 3))).type).toBe("executor.succeeded");
    expect((await executor.call(call("EXECUTOR_SUCCEEDED", 4))).type).toBe("results.received");
    expect((await executor.call(call("QUEUED_IN_TRAC", 5))).type).toBe("step.done");
  });

  it("reports the step's failure outcome at the failure rate", async () => {
    const executor = new SimulatedExecutor({ delayMs: [0, 0], failureRate: 1 });
    expect((await executor.call(call("RUNNING_IN_EXECUTOR"))).type).toBe("executor.failed");
    expect((await executor.call(call("EXECUTOR_SUCCEEDED", 2))).type).toBe("results.invalid");
  });

  it("answers a repeated call (same job and fencing token) from memory, doing the work once", async () => {
    let draws = 0;
    const executor = new SimulatedExecutor({
      delayMs: [0, 0],
      failureRate: 0.5,
      random: () => (draws++ % 2 === 0 ? 0.9 : 0.1),
    });
    const first = await executor.call(call("RUNNING_IN_EXECUTOR", 7));
    const again = await executor.call(call("RUNNING_IN_EXECUTOR", 7));
    expect(again).toEqual(first);
    expect(executor.calls).toBe(1);
  });

  it("stops when its signal aborts", async () => {
    const controller = new AbortController();
    const executor = new SimulatedExecutor({ delayMs: [10_000, 10_000] });
    const pending = executor.call(call("QUEUED_IN_TRAC", 1, controller.signal));
    controller.abort(new Error("lease lost"));
    await expect(pending).rejects.toThrow();
  });

  it("rejects a failure rate outside [0, 1] and a bad delay range", () => {
    expect(() => new SimulatedExecutor({ failureRate: 2 })).toThrow(/failureRate/);
    expect(() => new SimulatedExecutor({ delayMs: [5, 1] })).toThrow(/delayMs/);
  });
});
