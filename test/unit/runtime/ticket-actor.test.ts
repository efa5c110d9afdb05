import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ECacheTicket, EInvalidArgument } from "../../../src/base/errors.js";
import { sleep } from "../../../src/base/timers.js";
import type { CacheTicket, JobCache, JobCacheManager } from "../../../src/base/types.js";
import { createJobCacheManager } from "../../../src/manager/create-job-cache-manager.js";
import { runTicketStep, type TicketEmitted } from "../../../src/runtime/ticket-actor.js";
import { ended, FakeTimeline, settle } from "./fake-timeline.js";

interface Job {
  step: number;
}

const DURATION = 3_000;

let timeline: FakeTimeline;
let manager: JobCacheManager;
let cache: JobCache<Job>;

/** Creates `key` at revision 1 with status QUEUED. */
async function seed(key = "job-1"): Promise<void> {
  const ticket = await cache.openNewTicket(key, DURATION);
  await cache.createEntry(ticket, "QUEUED", { step: 0 });
  await cache.closeTicket(ticket);
}

/** A step on job-1 at revision 1 that works for `workMs` of timeline time, then moves it to RUNNING. */
function step(workMs: number, extra: Partial<Parameters<typeof runTicketStep<Job>>[0]> = {}) {
  const events: TicketEmitted[] = [];
  const commits: number[] = [];
  const commitCalls: number[] = [];
  const signals: AbortSignal[] = [];
  const commit =
    extra.commit ??
    (async (ticket: CacheTicket, result: Job) => {
      const revision = await cache.updateEntry(ticket, "RUNNING", result);
      commits.push(revision);
      return revision;
    });
  const outcome = runTicketStep<Job>({
    cache,
    key: "job-1",
    revision: 1,
    durationMs: DURATION,
    clock: timeline,
    timers: timeline,
    work: async (signal) => {
      signals.push(signal);
      await sleep(workMs, timeline, signal);
      return { step: 1 };
    },
    onEvent: (event) => events.push(event),
    ...extra,
    commit: (ticket, result) => {
      commitCalls.push(timeline.now());
      return commit(ticket, result);
    },
  });
  return { outcome, events, commits, commitCalls, signals };
}

beforeEach(async () => {
  timeline = new FakeTimeline();
  manager = await createJobCacheManager({ protocol: "LOCAL" }, { clock: timeline });
  cache = manager.getCache<Job>("jobs");
  await seed();
});

afterEach(async () => {
  await manager.close();
});

describe("runTicketStep over the LOCAL cache", () => {
  it("works across several heartbeats, commits, closes, and leaves no timer behind", async () => {
    const run = step(7_000);
    await timeline.passTime(7_000);
    expect(await ended(run.outcome)).toEqual({ kind: "committed", revision: 2 });
    expect(run.commits).toEqual([2]);
    expect((await cache.queryKey("job-1"))?.status).toBe("RUNNING");
    const types = run.events.map((e) => e.type);
    expect(types[0]).toBe("ticket:granted");
    // renewals every third of the lease: at 1000, 2000, ..., 7000 at most
    expect(types.filter((t) => t === "ticket:renewed").length).toBeGreaterThanOrEqual(6);
    expect(types.slice(-2)).toEqual(["ticket:committed", "ticket:released"]);
    expect(timeline.pendingTimers).toBe(0);
    // closed: the next step's ticket is granted at once
    const next = await cache.openTicket("job-1", 2, DURATION);
    expect(next.superseded).toBe(false);
  });

  it("is superseded while another ticket holds the key, and never runs the work", async () => {
    const holder = await cache.openTicket("job-1", 1, DURATION);
    const run = step(10);
    await timeline.passTime(100);
    expect(await ended(run.outcome)).toEqual({ kind: "superseded" });
    expect(run.signals).toEqual([]);
    expect(run.commits).toEqual([]);
    expect(holder.superseded).toBe(false);
    expect(timeline.pendingTimers).toBe(0);
  });

  it("is missing for a revision the entry has not reached, or an unknown key", async () => {
    const ahead = step(10, { revision: 5 });
    await timeline.passTime(0);
    expect(await ended(ahead.outcome)).toEqual({ kind: "missing" });
    const unknown = step(10, { key: "job-2" });
    await timeline.passTime(0);
    expect(await ended(unknown.outcome)).toEqual({ kind: "missing" });
  });

  it("with revision null opens a new ticket and creates the entry", async () => {
    const outcome = runTicketStep<Job>({
      cache,
      key: "job-new",
      revision: null,
      durationMs: DURATION,
      clock: timeline,
      timers: timeline,
      work: async () => ({ step: 0 }),
      commit: (ticket, value) => cache.createEntry(ticket, "QUEUED_IN_TRAC", value),
    });
    await timeline.passTime(0);
    expect(await ended(outcome)).toEqual({ kind: "committed", revision: 1 });
    expect((await cache.queryKey("job-new"))?.status).toBe("QUEUED_IN_TRAC");
  });

  it("a holder paused past its lease loses it, is aborted, and never commits", async () => {
    const run = step(5_000);
    await timeline.passTime(500);
    // the process stalls: time moves on, no timer fires, another orchestrator takes the job
    timeline.advance(DURATION + 1);
    const other = await cache.openTicket("job-1", 1, DURATION);
    expect(other.superseded).toBe(false);
    await timeline.passTime(0);
    const outcome = await ended(run.outcome);
    expect(outcome).toMatchObject({ kind: "expired", reason: "lost" });
    expect(run.commitCalls).toEqual([]);
    expect(run.signals[0]?.aborted).toBe(true);
    expect(run.signals[0]?.reason).toBeInstanceOf(ECacheTicket);
    expect(run.events.map((e) => e.type)).toContain("ticket:lost");
    // the other holder still holds the key and can write
    expect(await cache.updateEntry(other, "RUNNING", { step: 9 })).toBe(2);
    expect(timeline.pendingTimers).toBe(0);
  });

  it("refuses to commit when the deadline passed before the timer fired", async () => {
    let finish: (value: Job) => void = () => {};
    const run = step(0, {
      work: (signal) => {
        run.signals.push(signal);
        return new Promise<Job>((resolve) => {
          finish = resolve;
        });
      },
    });
    await timeline.passTime(100);
    timeline.advance(DURATION);
    finish({ step: 1 });
    await settle();
    expect(await ended(run.outcome)).toMatchObject({ kind: "expired", reason: "fenced" });
    expect(run.commitCalls).toEqual([]);
    expect((await cache.queryKey("job-1"))?.revision).toBe(1);
  });

  it("a failing work ends failed with its error and frees the key", async () => {
    const error = new Error("executor said no");
    const run = step(0, {
      work: async () => {
        throw error;
      },
    });
    await timeline.passTime(0);
    expect(await ended(run.outcome)).toEqual({ kind: "failed", error });
    expect((await cache.openTicket("job-1", 1, DURATION)).superseded).toBe(false);
  });

  it("a work that throws synchronously is a failure too, not a crash", async () => {
    const error = new Error("sync");
    const run = step(0, {
      work: () => {
        throw error;
      },
    });
    await timeline.passTime(0);
    expect(await ended(run.outcome)).toEqual({ kind: "failed", error });
  });

  it("a commit refused with ECacheTicket is expired 'fenced'; any other commit error is failed", async () => {
    const refused = new ECacheTicket("fenced off");
    const fenced = step(10, {
      commit: async () => {
        throw refused;
      },
    });
    await timeline.passTime(10);
    expect(await ended(fenced.outcome)).toEqual({ kind: "expired", reason: "fenced", error: refused });

    const broken = new Error("disk full");
    const failing = step(10, {
      commit: async () => {
        throw broken;
      },
    });
    await timeline.passTime(10);
    expect(await ended(failing.outcome)).toEqual({ kind: "failed", error: broken });
  });

  it("an aborted signal cancels the step: work aborted with the reason, ticket closed", async () => {
    const shutdown = new AbortController();
    const run = step(5_000, { signal: shutdown.signal });
    await timeline.passTime(1_500);
    shutdown.abort("shutting down");
    await settle();
    expect(await ended(run.outcome)).toEqual({ kind: "failed", error: "shutting down" });
    expect(run.signals[0]?.reason).toBe("shutting down");
    expect((await cache.openTicket("job-1", 1, DURATION)).superseded).toBe(false);
    expect(timeline.pendingTimers).toBe(0);
  });

  it("an already aborted signal opens nothing and runs nothing", async () => {
    const run = step(10, { signal: AbortSignal.abort("too late") });
    expect(await ended(run.outcome)).toEqual({ kind: "failed", error: "too late" });
    expect(run.events).toEqual([]);
    expect(run.signals).toEqual([]);
    expect(timeline.pendingTimers).toBe(0);
  });

  it("reports every transition to inspect", async () => {
    const seen: string[] = [];
    const run = step(10, {
      inspect: (event) => {
        if (event.type === "@xstate.event") seen.push(event.event.type);
      },
    });
    await timeline.passTime(10);
    await ended(run.outcome);
    expect(seen).toEqual(expect.arrayContaining(["xstate.done.actor.open", "xstate.done.actor.commit"]));
  });

  it("an observer that throws does not change the outcome", async () => {
    const run = step(10, {
      onEvent: () => {
        throw new Error("observer bug");
      },
    });
    await timeline.passTime(10);
    expect(await ended(run.outcome)).toEqual({ kind: "committed", revision: 2 });
  });

  it.each([
    ["durationMs", { durationMs: 0 }],
    ["durationMs", { durationMs: Number.NaN }],
    ["renewRetries", { renewRetries: -1 }],
    ["renewRetries", { renewRetries: 1.5 }],
    ["work", { work: undefined }],
    ["commit", { commit: "no" }],
    ["cache", { cache: null }],
  ])("rejects a bad %s before touching the cache", async (argument, bad) => {
    const options = {
      cache,
      key: "job-1",
      revision: 1,
      durationMs: DURATION,
      clock: timeline,
      timers: timeline,
      work: async () => ({ step: 1 }),
      commit: async () => 2,
      ...bad,
    } as unknown as Parameters<typeof runTicketStep<Job>>[0];
    const outcome = runTicketStep<Job>(options);
    await expect(outcome).rejects.toBeInstanceOf(EInvalidArgument);
    await expect(outcome).rejects.toMatchObject({ argument });
    expect((await cache.openTicket("job-1", 1, DURATION)).superseded).toBe(false);
  });
});
