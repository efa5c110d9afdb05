import pRetry from "p-retry";
import { describe, expect, it } from "vitest";
import { ECacheTicket, ECacheUnavailable, EInvalidArgument } from "../../../src/base/errors.js";
import {
  renewBackoffMs,
  renewRetryOptions,
  validateRenewRetries,
} from "../../../src/runtime/renew-policy.js";
import { ended, FakeTimeline } from "./fake-timeline.js";

describe("renew policy", () => {
  it("backs off 100, 200, 400 ms, never more than a tenth of the lease", () => {
    expect([1, 2, 3].map((attempt) => renewBackoffMs(attempt, 30_000))).toEqual([100, 200, 400]);
    expect(renewBackoffMs(3, 1_000)).toBe(100);
  });

  it.each([-1, 1.5, 11, Number.NaN, "2", undefined])("rejects renewRetries %s", (value) => {
    expect(() => validateRenewRetries(value)).toThrow(EInvalidArgument);
  });

  it("accepts 0 to 10", () => {
    expect(validateRenewRetries(0)).toBe(0);
    expect(validateRenewRetries(10)).toBe(10);
  });

  it("retries on the injected timers, then gives up with the last error", async () => {
    const timeline = new FakeTimeline();
    const start = timeline.now();
    const attempts: number[] = [];
    const error = new ECacheUnavailable("down");
    const retried = pRetry(
      async () => {
        attempts.push(timeline.now() - start);
        throw error;
      },
      renewRetryOptions({
        retries: 2,
        durationMs: 30_000,
        deadline: start + 20_000,
        clock: timeline,
        timers: timeline,
      }),
    );
    const failure = retried.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    await timeline.passTime(1_000);
    expect(await ended(failure)).toBe(error);
    expect(attempts).toEqual([0, 100, 300]);
    expect(timeline.pendingTimers).toBe(0);
  });

  it("does not retry a refused lease, or a retry that would start at the deadline", async () => {
    const timeline = new FakeTimeline();
    let attempts = 0;
    const refused = pRetry(
      async () => {
        attempts++;
        throw new ECacheTicket("gone");
      },
      renewRetryOptions({
        retries: 5,
        durationMs: 30_000,
        deadline: timeline.now() + 20_000,
        clock: timeline,
        timers: timeline,
      }),
    );
    await expect(ended(refused)).rejects.toBeInstanceOf(ECacheTicket);
    expect(attempts).toBe(1);

    let late = 0;
    const tooLate = pRetry(
      async () => {
        late++;
        throw new ECacheUnavailable("down");
      },
      renewRetryOptions({
        retries: 5,
        durationMs: 30_000,
        deadline: timeline.now() + 100,
        clock: timeline,
        timers: timeline,
      }),
    );
    await expect(ended(tooLate)).rejects.toBeInstanceOf(ECacheUnavailable);
    expect(late).toBe(1);
  });

  it("an abort during the backoff ends the retries and clears the timer", async () => {
    const timeline = new FakeTimeline();
    const stop = new AbortController();
    const retried = pRetry(
      async () => {
        throw new ECacheUnavailable("down");
      },
      renewRetryOptions({
        retries: 2,
        durationMs: 30_000,
        deadline: timeline.now() + 20_000,
        clock: timeline,
        timers: timeline,
        signal: stop.signal,
      }),
    );
    await timeline.passTime(50);
    expect(timeline.pendingTimers).toBe(1);
    stop.abort(new Error("heartbeat stopped"));
    await expect(ended(retried)).rejects.toThrow("heartbeat stopped");
    expect(timeline.pendingTimers).toBe(0);
  });
});
