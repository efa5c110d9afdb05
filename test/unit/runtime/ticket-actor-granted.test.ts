import { afterEach, describe, expect, it } from "vitest";
import { EInvalidArgument } from "../../../src/base/errors.js";
import type { CacheTicket, JobCache, JobCacheManager } from "../../../src/base/types.js";
import { createJobCacheManager } from "../../../src/manager/create-job-cache-manager.js";
import { runTicketStep } from "../../../src/runtime/ticket-actor.js";

const managers: JobCacheManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((manager) => manager.close()));
});

/** A LOCAL cache with `job` at revision 1 (QUEUED), and a log of the ticket calls made through it. */
async function setup(): Promise<{ cache: JobCache<number>; raw: JobCache<number>; calls: string[] }> {
  const manager = await createJobCacheManager({ protocol: "LOCAL" });
  managers.push(manager);
  const raw = manager.getCache<number>("jobs");
  {
    await using ticket = await raw.openNewTicket("job", 10_000);
    await raw.createEntry(ticket, "QUEUED", 0);
  }
  const calls: string[] = [];
  const cache = new Proxy(raw, {
    get: (target, name) => {
      const value = Reflect.get(target, name);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        calls.push(String(name));
        return value.apply(target, args);
      };
    },
  });
  return { cache, raw, calls };
}

const isFree = async (cache: JobCache<number>, status: string) =>
  (await cache.queryStatus([status])).some((entry) => entry.key === "job");

describe("runTicketStep with a ticket already granted", () => {
  it("starts with the claimed ticket, and a commit that closes it leaves nothing to close", async () => {
    const { cache, raw, calls } = await setup();
    const [claimed] = await raw.claimStatus(["QUEUED"], 10_000);
    const used: CacheTicket[] = [];
    const outcome = await runTicketStep({
      cache,
      key: "job",
      revision: 1,
      durationMs: 10_000,
      granted: { ticket: claimed!.ticket, deadline: Date.now() + 10_000 },
      work: async (_signal, ticket) => {
        used.push(ticket);
        return 7;
      },
      commit: async (ticket, result) => {
        const revision = await cache.updateEntry(ticket, "DONE", result, { close: true });
        return { revision, ticket: "closed" };
      },
    });
    expect(outcome).toEqual({ kind: "committed", revision: 2 });
    expect(used).toEqual([claimed!.ticket]);
    // no grant of its own and no separate close: the write closed the lease
    expect(calls).toEqual(["updateEntry"]);
    expect(await isFree(raw, "DONE")).toBe(true);
  });

  it("a commit that keeps the ticket hands it back live, and the next write goes on under it", async () => {
    const { cache, raw } = await setup();
    const [claimed] = await raw.claimStatus(["QUEUED"], 10_000);
    const outcome = await runTicketStep({
      cache,
      key: "job",
      revision: 1,
      durationMs: 10_000,
      granted: { ticket: claimed!.ticket, deadline: Date.now() + 10_000 },
      work: async () => 1,
      commit: async (ticket, result) => ({
        revision: await cache.updateEntry(ticket, "RUNNING", result),
        ticket: "kept",
      }),
    });
    expect(outcome).toMatchObject({ kind: "committed", revision: 2, held: { ticket: claimed!.ticket } });
    // still held: no other process can have the job
    expect(await isFree(raw, "RUNNING")).toBe(false);
    const held = outcome.kind === "committed" && "held" in outcome ? outcome.held : undefined;
    expect(await raw.updateEntry(held!.ticket, "DONE", 2, { close: true })).toBe(3);
    expect(await isFree(raw, "DONE")).toBe(true);
  });

  it("closes a handed-in ticket when cancelled before it began", async () => {
    const { cache, raw } = await setup();
    const [claimed] = await raw.claimStatus(["QUEUED"], 10_000);
    const outcome = await runTicketStep({
      cache,
      key: "job",
      revision: 1,
      durationMs: 10_000,
      granted: { ticket: claimed!.ticket, deadline: Date.now() + 10_000 },
      signal: AbortSignal.abort(new Error("stopping")),
      work: async () => 1,
      commit: async () => 0,
    });
    expect(outcome).toMatchObject({ kind: "failed" });
    expect(await isFree(raw, "QUEUED")).toBe(true);
  });

  it("rejects a granted ticket for another key with EInvalidArgument", async () => {
    const { cache, raw } = await setup();
    const [claimed] = await raw.claimStatus(["QUEUED"], 10_000);
    await expect(
      runTicketStep({
        cache,
        key: "other",
        revision: 1,
        durationMs: 10_000,
        granted: { ticket: claimed!.ticket, deadline: Date.now() + 10_000 },
        work: async () => 1,
        commit: async () => 0,
      }),
    ).rejects.toThrow(EInvalidArgument);
    await raw.closeTicket(claimed!.ticket);
  });
});

describe("runTicketStep renews a handed-in ticket that is short of lease", () => {
  it("renews before the work when less than two thirds of the step's lease is left", async () => {
    const { cache, raw, calls } = await setup();
    const [claimed] = await raw.claimStatus(["QUEUED"], 10_000);
    const outcome = await runTicketStep({
      cache,
      key: "job",
      revision: 1,
      durationMs: 30_000,
      // the claim's lease is a third of what this step holds a ticket for
      granted: { ticket: claimed!.ticket, deadline: Date.now() + 10_000 },
      work: async () => 5,
      commit: async (ticket, result) => ({
        revision: await cache.updateEntry(ticket, "DONE", result, { close: true }),
        ticket: "closed",
      }),
    });
    expect(outcome).toEqual({ kind: "committed", revision: 2 });
    expect(calls).toEqual(["renewTicket", "updateEntry"]);
    expect(await isFree(raw, "DONE")).toBe(true);
  });
});
