import { expect, it } from "vitest";
import {
  createJobCacheManager,
  createValueCodec,
  ECacheConfig,
  ECacheUnavailable,
  type JobCacheManager,
} from "../index.js";
import {
  DURATION_MS,
  expectGranted,
  expectKeyFree,
  expectKeyHeld,
  expectReject,
  expectStored,
  rejectionOf,
} from "./expectations.js";
import { heldEntry, heldNewEntry, seedEntry } from "./fixtures.js";
import { CACHE_NAME, type ContextGetter, type JobValue } from "./suite-context.js";

/** CONTRACT.md "Managers and configuration": caches by name, sharing across managers, closing. */
export function managerCases(get: ContextGetter): void {
  it("getCache returns the same cache object for the same name, another for another name", async () => {
    const manager = await get().manager();
    const jobs = manager.getCache(CACHE_NAME);
    expect(manager.getCache(CACHE_NAME)).toBe(jobs);
    expect(manager.getCache("other-jobs")).not.toBe(jobs);
  });

  it("different cache names never see each other's entries", async () => {
    const ctx = get();
    const jobs = await ctx.cache();
    const other = await ctx.cache<JobValue>("other-jobs");
    await seedEntry(jobs, "job-1", { value: { step: 1 } });
    await expectStored(other, "job-1", undefined);
    expect(await other.queryStatus(["QUEUED"], { includeOpenTickets: true })).toEqual([]);
    await seedEntry(other, "job-1", { revision: 2, status: "RUNNING", value: { step: 8 } });
    await expectStored(jobs, "job-1", { revision: 1, status: "QUEUED", value: { step: 1 } });
  });

  it("different cache names never see each other's tickets", async () => {
    const ctx = get();
    const jobs = await ctx.cache();
    const other = await ctx.cache<JobValue>("other-jobs");
    await heldNewEntry(jobs, "job-1");
    const theirs = await other.openNewTicket("job-1", DURATION_MS);
    expectGranted(theirs);
    expect(await other.createEntry(theirs, "QUEUED", { step: 2 })).toBe(1);
  });

  it("a second manager shares entries when the target shares its store, and sees nothing otherwise", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    const second = (await ctx.newManager()).getCache<JobValue>(CACHE_NAME);
    await seedEntry(cache, "job-1", { revision: 2, status: "RUNNING", value: { step: 2 } });
    if (ctx.sharesAcrossManagers) {
      await expectStored(second, "job-1", { revision: 2, status: "RUNNING", value: { step: 2 } });
      expect((await second.queryStatus(["RUNNING"])).map((entry) => entry.key)).toEqual(["job-1"]);
      const ticket = await second.openTicket("job-1", 2, DURATION_MS);
      expect(await second.updateEntry(ticket, "DONE", { step: 3 })).toBe(3);
      await expectStored(cache, "job-1", { revision: 3, status: "DONE", value: { step: 3 } });
    } else {
      await expectStored(second, "job-1", undefined);
      expectGranted(await second.openNewTicket("job-1", DURATION_MS));
    }
  });

  it("two managers on a shared store exclude each other: a held key is superseded in the other", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    const second = (await ctx.newManager()).getCache<JobValue>(CACHE_NAME);
    const holder = await heldEntry(cache, "job-1");
    if (ctx.sharesAcrossManagers) {
      await expectKeyHeld(second, "job-1", 1);
      await expectKeyHeld(second, "job-1");
      await cache.closeTicket(holder);
      await expectKeyFree(second, "job-1", 1);
    } else {
      // Separate stores: the second manager has no entry, so its own ticket is missing, not held.
      expect((await second.openTicket("job-1", 1, DURATION_MS)).missing).toBe(true);
      await expectKeyHeld(cache, "job-1", 1);
    }
  });

  it("a shared store's tickets expire for every manager: the other can take over after expiry", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    const second = ctx.sharesAcrossManagers ? (await ctx.newManager()).getCache<JobValue>(CACHE_NAME) : cache;
    await heldEntry(cache, "job-1");
    await ctx.advanceTime(DURATION_MS / 2);
    await expectKeyHeld(second, "job-1", 1);
    await ctx.advanceTime(DURATION_MS / 2);
    const taker = await second.openTicket("job-1", 1, DURATION_MS);
    expectGranted(taker);
    expect(await second.updateEntry(taker, "RUNNING", { step: 2 })).toBe(2);
  });

  it("getCache with a codec option works on the same entries as getCache without one", async () => {
    const manager = await get().manager();
    const plain = manager.getCache<JobValue>(CACHE_NAME);
    const withCodec = manager.getCache<JobValue>(CACHE_NAME, { codec: createValueCodec<JobValue>() });
    await seedEntry(plain, "job-1", { value: { step: 5 } });
    await expectStored(withCodec, "job-1", { revision: 1, status: "QUEUED", value: { step: 5 } });
    await heldNewEntry(withCodec, "job-2", "RUNNING", { step: 6 });
    await expectStored(plain, "job-2", { revision: 1, status: "RUNNING", value: { step: 6 } });
    await expectKeyHeld(plain, "job-2", 1);
  });

  it("`await using` on a manager closes it: its caches stop working and close() again is harmless", async () => {
    const ctx = get();
    let closed: JobCacheManager | undefined;
    {
      await using manager = await ctx.newManager();
      closed = manager;
      await seedEntry(manager.getCache<JobValue>(CACHE_NAME), "job-1");
    }
    const error = await rejectionOf(closed.getCache<JobValue>(CACHE_NAME).queryKey("job-1"));
    expect(error).toBeInstanceOf(Error);
    await expect(closed.close()).resolves.toBeUndefined();
  });

  it("an unknown protocol fails at creation with ECacheConfig saying what to set", async () => {
    const error = await expectReject(createJobCacheManager({ protocol: "NO-SUCH-PROTOCOL" }), ECacheConfig);
    expect(error.message).toContain("NO-SUCH-PROTOCOL");
    expect(error.message).toMatch(/protocol/i);
  });

  it("close() settles every call in flight at once with ECacheUnavailable, and later calls too", async () => {
    const manager = await get().newManager();
    const cache = manager.getCache<JobValue>(CACHE_NAME);
    const holder = await heldNewEntry(cache, "held");
    // More calls than a SQL pool has connections, so some wait for one when close() comes.
    const inFlight: Array<Promise<unknown>> = [
      ...Array.from({ length: 40 }, (_, i) => cache.queryKey(`job-${i}`)),
      ...Array.from({ length: 10 }, (_, i) => cache.openNewTicket(`new-${i}`, DURATION_MS)),
      cache.queryStatus(["QUEUED"], { includeOpenTickets: true }),
      cache.updateEntry(holder, "RUNNING", { step: 2 }),
      cache.renewTicket(holder, DURATION_MS),
    ];
    let settled = 0;
    for (const call of inFlight)
      call.then(
        () => settled++,
        () => settled++,
      );
    const closing = manager.close();
    const outcomes = await Promise.allSettled(inFlight);
    for (const [i, outcome] of outcomes.entries()) {
      expect(outcome.status, `call ${i}`).toBe("rejected");
      const reason = (outcome as PromiseRejectedResult).reason;
      expect(reason, `call ${i}`).toBeInstanceOf(ECacheUnavailable);
      expect((reason as Error).message, `call ${i}`).toMatch(/manager is closed/);
    }
    await closing;
    expect(settled).toBe(inFlight.length);
    await expectReject(cache.queryKey("job-1"), ECacheUnavailable, "a call after close");
    await expect(cache.closeTicket(holder)).resolves.toBeUndefined();
  });

  it("close() twice resolves both times", async () => {
    const manager = await get().newManager();
    await expect(manager.close()).resolves.toBeUndefined();
    await expect(manager.close()).resolves.toBeUndefined();
  });
}
