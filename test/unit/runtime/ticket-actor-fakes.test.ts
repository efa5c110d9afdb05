import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ECacheTicket, ECacheUnavailable } from "../../../src/base/errors.js";
import { sleep } from "../../../src/base/timers.js";
import type { CacheTicket, JobCache, JobCacheManager } from "../../../src/base/types.js";
import { createJobCacheManager } from "../../../src/manager/create-job-cache-manager.js";
import { runTicketStep } from "../../../src/runtime/ticket-actor.js";
import { ended, FakeTimeline } from "./fake-timeline.js";

const DURATION = 3_000;

let timeline: FakeTimeline;
let manager: JobCacheManager;
let local: JobCache<string>;

/** The LOCAL cache with `renewTicket` replaced, recording when each renewal was asked for. */
function withRenew(renew: (ticket: CacheTicket, durationMs: number) => Promise<CacheTicket>) {
  const calls: number[] = [];
  const cache = new Proxy(local, {
    get(target, property, receiver) {
      if (property === "renewTicket") {
        return (ticket: CacheTicket, durationMs: number) => {
          calls.push(timeline.now() - start);
          return renew(ticket, durationMs);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as JobCache<unknown>;
  const start = timeline.now();
  return { cache, calls };
}

function run(cache: JobCache<unknown>, workMs: number, renewRetries = 2) {
  const commits: number[] = [];
  const signals: AbortSignal[] = [];
  const outcome = runTicketStep<string>({
    cache,
    key: "job-1",
    revision: 1,
    durationMs: DURATION,
    clock: timeline,
    timers: timeline,
    renewRetries,
    work: async (signal) => {
      signals.push(signal);
      await sleep(workMs, timeline, signal);
      return "done";
    },
    commit: async (ticket, result) => {
      const revision = await local.updateEntry(ticket, "RUNNING", result);
      commits.push(revision);
      return revision;
    },
  });
  return { outcome, commits, signals };
}

beforeEach(async () => {
  timeline = new FakeTimeline();
  manager = await createJobCacheManager({ protocol: "LOCAL" }, { clock: timeline });
  local = manager.getCache<string>("jobs");
  const ticket = await local.openNewTicket("job-1", DURATION);
  await local.createEntry(ticket, "QUEUED", "queued");
  await local.closeTicket(ticket);
});

afterEach(async () => {
  await manager.close();
});

describe("runTicketStep with a failing or hanging renewTicket", () => {
  it("renewal hangs: the deadline passes first, the work is aborted, nothing commits", async () => {
    const { cache, calls } = withRenew(() => new Promise<CacheTicket>(() => {}));
    const step = run(cache, 60_000);
    await timeline.passTime(DURATION);
    expect(await ended(step.outcome)).toEqual({ kind: "expired", reason: "deadline" });
    expect(calls).toEqual([1_000]);
    expect(step.signals[0]?.aborted).toBe(true);
    expect(step.commits).toEqual([]);
    expect(timeline.pendingTimers).toBe(0);
    // closed: another step can take the key now, before the lease would have run out
    expect((await local.openTicket("job-1", 1, DURATION)).superseded).toBe(false);
  });

  it("renewal refused (ECacheTicket): lost at once, no retries", async () => {
    const { cache, calls } = withRenew(async () => {
      throw new ECacheTicket("not yours any more");
    });
    const step = run(cache, 60_000);
    await timeline.passTime(1_000);
    expect(await ended(step.outcome)).toMatchObject({ kind: "expired", reason: "lost" });
    expect(calls).toEqual([1_000]);
    expect(step.commits).toEqual([]);
  });

  it("renewal keeps failing: retried twice with backoff, then expired 'renew-failed' before the deadline", async () => {
    const unavailable = new ECacheUnavailable("store down");
    const { cache, calls } = withRenew(async () => {
      throw unavailable;
    });
    const step = run(cache, 60_000);
    await timeline.passTime(1_500);
    expect(await ended(step.outcome)).toEqual({
      kind: "expired",
      reason: "renew-failed",
      error: unavailable,
    });
    expect(calls).toEqual([1_000, 1_100, 1_300]);
    expect(step.signals[0]?.aborted).toBe(true);
    expect(timeline.pendingTimers).toBe(0);
  });

  it("a renewal that fails once and then succeeds keeps the lease", async () => {
    let failures = 1;
    const { cache, calls } = withRenew((ticket, durationMs) => {
      if (failures-- > 0) return Promise.reject(new ECacheUnavailable("blip"));
      return local.renewTicket(ticket, durationMs);
    });
    const step = run(cache, 2_500);
    await timeline.passTime(2_500);
    expect(await ended(step.outcome)).toEqual({ kind: "committed", revision: 2 });
    expect(calls.slice(0, 2)).toEqual([1_000, 1_100]);
  });

  it("never retries past the deadline, however many retries are allowed", async () => {
    const { cache, calls } = withRenew(async () => {
      throw new ECacheUnavailable("store down");
    });
    const step = run(cache, 60_000, 10);
    await timeline.passTime(DURATION);
    expect((await ended(step.outcome)).kind).toBe("expired");
    expect(calls.length).toBeGreaterThan(3);
    expect(Math.max(...calls)).toBeLessThan(DURATION);
    expect(step.commits).toEqual([]);
    expect(timeline.pendingTimers).toBe(0);
  });

  it("a ticket granted after the step was cancelled is closed, not leaked", async () => {
    let letOpen: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      letOpen = resolve;
    });
    const slowOpen = new Proxy(local, {
      get(target, property, receiver) {
        if (property === "openTicket") {
          return async (key: string, revision: number, durationMs: number) => {
            await gate;
            return target.openTicket(key, revision, durationMs);
          };
        }
        const value = Reflect.get(target, property, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    }) as JobCache<unknown>;
    const shutdown = new AbortController();
    const outcome = runTicketStep<string>({
      cache: slowOpen,
      key: "job-1",
      revision: 1,
      durationMs: DURATION,
      clock: timeline,
      timers: timeline,
      signal: shutdown.signal,
      work: async () => "never",
      commit: async () => 2,
    });
    await timeline.passTime(10);
    shutdown.abort("shutdown");
    expect(await ended(outcome)).toEqual({ kind: "failed", error: "shutdown" });
    letOpen();
    await timeline.passTime(0);
    // the late grant was closed: the key is free at once, long before its lease would end
    expect((await local.openTicket("job-1", 1, DURATION)).superseded).toBe(false);
  });
});
