import { describe, expect, it } from "vitest";
import { sleep, systemTimers } from "../../../src/base/timers.js";
import { ended, FakeTimeline } from "../runtime/fake-timeline.js";

describe("timers", () => {
  it("sleep resolves when its timer fires, not before", async () => {
    const timeline = new FakeTimeline();
    let woke = false;
    const slept = sleep(1_000, timeline).then(() => {
      woke = true;
    });
    await timeline.passTime(999);
    expect(woke).toBe(false);
    await timeline.passTime(1);
    await ended(slept);
    expect(woke).toBe(true);
  });

  it("sleep rejects with the abort reason and clears its timer", async () => {
    const timeline = new FakeTimeline();
    const stop = new AbortController();
    const slept = sleep(1_000, timeline, stop.signal);
    expect(timeline.pendingTimers).toBe(1);
    stop.abort("stop");
    await expect(ended(slept)).rejects.toBe("stop");
    expect(timeline.pendingTimers).toBe(0);
    await expect(sleep(10, timeline, stop.signal)).rejects.toBe("stop");
    expect(timeline.pendingTimers).toBe(0);
  });

  it("system timers are unref'd, so they never hold the process open", () => {
    const handle = systemTimers.setTimeout(() => {}, 60_000) as ReturnType<typeof setTimeout>;
    try {
      expect(handle.hasRef()).toBe(false);
    } finally {
      systemTimers.clearTimeout(handle);
    }
  });
});
