import { createJobCacheManager, type JobCache, type JobCacheManager } from "jobcache";
import { createOrchestrator, type OrchestratorEvent, statusTable } from "jobcache/orchestrator";
import { afterEach, describe, expect, it, vi } from "vitest";

const managers: JobCacheManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((manager) => manager.close()));
});

interface Job {
  n: number;
}

async function seeded(keys: readonly string[], status = "TODO"): Promise<JobCache<Job>> {
  const manager = await createJobCacheManager({ protocol: "LOCAL" });
  managers.push(manager);
  const cache = manager.getCache<Job>("jobs");
  for (const key of keys) {
    await using ticket = await cache.openNewTicket(key, 10_000);
    await cache.createEntry(ticket, status, { n: 0 });
  }
  return cache;
}

interface Call {
  readonly name: string;
  readonly args: readonly unknown[];
  /** For writes with `{ close: true }`: whether the key was free the moment the write resolved. */
  freeAfter?: boolean;
}

/** Records every call the orchestrator makes on `cache`; checks right after each closing write that its key is free. */
function counting(cache: JobCache<Job>): { cache: JobCache<Job>; calls: Call[] } {
  const calls: Call[] = [];
  const proxy = new Proxy(cache, {
    get: (target, name) => {
      const value = Reflect.get(target, name);
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        const call: Call = { name: String(name), args };
        calls.push(call);
        const result = await value.apply(target, args);
        const options = name === "deleteEntry" ? args[1] : args[3];
        if ((name === "updateEntry" || name === "deleteEntry") && (options as { close?: boolean })?.close) {
          // nothing else ran since the write resolved: a free key means the write itself closed the lease
          const key = (args[0] as { key: string }).key;
          const held = await target.queryStatus(["TODO", "MID", "DONE", "WAIT"], {
            includeOpenTickets: true,
          });
          const free = await target.queryStatus(["TODO", "MID", "DONE", "WAIT"]);
          call.freeAfter =
            name === "deleteEntry"
              ? !held.some((entry) => entry.key === key)
              : free.some((entry) => entry.key === key);
        }
        return result;
      };
    },
  });
  return { cache: proxy, calls };
}

const named = (calls: readonly Call[], name: string) => calls.filter((call) => call.name === name);

describe("createOrchestrator claims jobs with claimStatus", () => {
  it("a poll makes one claimStatus call for all its free capacity, and the claimed tickets need no grant", async () => {
    const { cache, calls } = counting(await seeded(["a", "b", "c", "d", "e"]));
    const release: Array<() => void> = [];
    const events: OrchestratorEvent[] = [];
    const instance = createOrchestrator({
      cache,
      instanceId: "claimer",
      executor: { call: () => new Promise((resolve) => release.push(() => resolve({ type: "done" }))) },
      lifecycle: statusTable({ TODO: { step: "work", on: { done: "DONE" } }, DONE: {} }),
      maxJobs: 3,
      pollIntervalMs: 5,
      failoverScanMs: 1_000_000,
      onEvent: (event) => events.push(event),
    });
    instance.start();
    await vi.waitFor(() => expect(release).toHaveLength(3), { timeout: 20_000 });
    // full: no further poll while three jobs run
    expect(named(calls, "claimStatus").map((call) => call.args)).toEqual([[["TODO"], 30_000, { limit: 3 }]]);
    expect(named(calls, "queryStatus")).toEqual([]);
    expect(named(calls, "openTicket")).toEqual([]);
    expect(events.filter((event) => event.type === "granted").map((event) => event.key)).toEqual([
      "a",
      "b",
      "c",
    ]);
    for (const done of release.splice(0)) done();
    await vi.waitFor(async () => expect(await cache.queryStatus(["TODO"])).toEqual([]), { timeout: 20_000 });
    await vi.waitFor(() => expect(release).toHaveLength(2), { timeout: 20_000 });
    for (const done of release.splice(0)) done();
    await vi.waitFor(async () => expect(await cache.queryStatus(["DONE"])).toHaveLength(5), {
      timeout: 20_000,
    });
    await instance.stop();
    // every job ran under the ticket its claim granted: no openTicket, and no separate close
    expect(named(calls, "openTicket")).toEqual([]);
    expect(named(calls, "closeTicket")).toEqual([]);
    const claimed = named(calls, "claimStatus").map((call) => (call.args[2] as { limit: number }).limit);
    expect(claimed[0]).toBe(3);
    expect(claimed.every((limit) => limit >= 1 && limit <= 3)).toBe(true);
  });

  it("chained steps go on under the claimed ticket, and the last write closes it in the same commit", async () => {
    const { cache, calls } = counting(await seeded(["x", "y"]));
    const instance = createOrchestrator({
      cache,
      instanceId: "chainer",
      executor: { call: async () => ({ type: "done" }) },
      lifecycle: statusTable({
        TODO: { step: "first", on: { done: "MID" } },
        MID: { step: "second", on: { done: "DONE" } },
        DONE: {},
      }),
      pollIntervalMs: 5,
      failoverScanMs: 1_000_000,
    });
    instance.start();
    await vi.waitFor(async () => expect(await cache.queryStatus(["DONE"])).toHaveLength(2), {
      timeout: 20_000,
    });
    await instance.stop();
    expect(named(calls, "openTicket")).toEqual([]);
    expect(named(calls, "closeTicket")).toEqual([]);
    for (const key of ["x", "y"]) {
      const writes = named(calls, "updateEntry").filter(
        (call) => (call.args[0] as { key: string }).key === key,
      );
      // TODO -> MID keeps the ticket for the chained step; MID -> DONE ends the chain and closes it
      expect(writes.map((call) => [call.args[1], call.args[3]])).toEqual([
        ["MID", { close: false }],
        ["DONE", { close: true }],
      ]);
      expect(writes[1]?.freeAfter).toBe(true);
      expect(await cache.queryKey(key)).toMatchObject({ status: "DONE", revision: 3 });
    }
  });

  it("a delete that ends the chain closes the lease in the same commit", async () => {
    const { cache, calls } = counting(await seeded(["gone"]));
    const instance = createOrchestrator({
      cache,
      instanceId: "remover",
      executor: { call: async () => ({ type: "done" }) },
      lifecycle: statusTable({ TODO: { step: "remove", on: { done: null } } }),
      pollIntervalMs: 5,
      failoverScanMs: 1_000_000,
    });
    instance.start();
    await vi.waitFor(async () => expect(await cache.queryKey("gone")).toBeUndefined(), { timeout: 20_000 });
    await instance.stop();
    const deletes = named(calls, "deleteEntry");
    expect(deletes.map((call) => call.args[1])).toEqual([{ close: true }]);
    expect(deletes[0]?.freeAfter).toBe(true);
    expect(named(calls, "closeTicket")).toEqual([]);
  });

  it("statuses that must wait are not claimed: a claim would hold the job for nothing", async () => {
    const { cache, calls } = counting(await seeded(["later"], "WAIT"));
    const seen: OrchestratorEvent[] = [];
    const instance = createOrchestrator({
      cache,
      instanceId: "waiter",
      executor: { call: async () => ({ type: "done" }) },
      lifecycle: statusTable({
        TODO: { step: "work", on: { done: "DONE" } },
        WAIT: { step: "work", notBeforeMs: 60_000, on: { done: "DONE" } },
        DONE: {},
      }),
      pollIntervalMs: 5,
      failoverScanMs: 1_000_000,
      onEvent: (event) => seen.push(event),
    });
    instance.start();
    await vi.waitFor(() => expect(named(calls, "claimStatus").length).toBeGreaterThan(2), {
      timeout: 20_000,
    });
    await instance.stop();
    expect(named(calls, "claimStatus").every((call) => JSON.stringify(call.args[0]) === '["TODO"]')).toBe(
      true,
    );
    expect(named(calls, "queryStatus").some((call) => JSON.stringify(call.args[0]) === '["WAIT"]')).toBe(
      true,
    );
    // it waits: not started, and free for any instance
    expect(seen.filter((event) => event.type === "granted")).toEqual([]);
    expect((await cache.queryStatus(["WAIT"])).map((entry) => entry.key)).toEqual(["later"]);
  });
});
