import { expect, it } from "vitest";
import type { CacheEntry } from "../index.js";
import { DURATION_MS, expectMissing, expectSuperseded } from "./expectations.js";
import { heldEntry, heldNewEntry, seedEntry } from "./fixtures.js";
import type { ContextGetter, JobValue } from "./suite-context.js";

function keysOf(entries: readonly CacheEntry<unknown>[]): string[] {
  return entries.map((entry) => entry.key);
}

/** CONTRACT.md "Queries": queryKey, and queryStatus's filter, order, hiding and limit. */
export function queryCases(get: ContextGetter): void {
  it("queryKey returns the entry, or undefined for a key never created", async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-1", { revision: 2, status: "RUNNING", value: { step: 2 } });
    const entry = await cache.queryKey("job-1");
    expect(entry).toBeDefined();
    expect({
      key: entry?.key,
      revision: entry?.revision,
      status: entry?.status,
      value: entry?.value,
    }).toEqual({
      key: "job-1",
      revision: 2,
      status: "RUNNING",
      value: { step: 2 },
    });
    expect(entry?.cacheOk).toBe(true);
    expect(await cache.queryKey("job-2")).toBeUndefined();
  });

  it("queryKey is never blocked by live tickets", async () => {
    const cache = await get().cache();
    const creator = await heldNewEntry(cache, "job-1", "QUEUED", { step: 1 });
    expect((await cache.queryKey("job-1"))?.revision).toBe(1);
    await cache.updateEntry(creator, "RUNNING", { step: 2 });
    expect((await cache.queryKey("job-1"))?.status).toBe("RUNNING");
    await heldEntry(cache, "job-2");
    expect((await cache.queryKey("job-2"))?.revision).toBe(1);
  });

  it("queryKey gives undefined after the entry is deleted, even while the deleting ticket is live", async () => {
    const cache = await get().cache();
    const ticket = await heldEntry(cache, "job-1");
    await cache.deleteEntry(ticket);
    expect(await cache.queryKey("job-1")).toBeUndefined();
  });

  it("queryStatus returns exactly the entries whose status is in the list", async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-1", { status: "QUEUED" });
    await seedEntry(cache, "job-2", { status: "RUNNING" });
    await seedEntry(cache, "job-3", { status: "DONE" });
    await seedEntry(cache, "job-4", { status: "QUEUED" });
    expect(keysOf(await cache.queryStatus(["QUEUED"]))).toEqual(["job-1", "job-4"]);
    expect(keysOf(await cache.queryStatus(["RUNNING", "DONE"]))).toEqual(["job-2", "job-3"]);
    expect(keysOf(await cache.queryStatus(["FAILED"]))).toEqual([]);
  });

  it("queryStatus returns whole decoded entries", async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-1", { revision: 3, status: "QUEUED", value: { step: 3, note: "n" } });
    const [entry] = await cache.queryStatus(["QUEUED"]);
    expect({
      key: entry?.key,
      revision: entry?.revision,
      status: entry?.status,
      value: entry?.value,
    }).toEqual({
      key: "job-1",
      revision: 3,
      status: "QUEUED",
      value: { step: 3, note: "n" },
    });
    expect(entry?.cacheOk).toBe(true);
  });

  it("queryStatus lists the oldest created first, not by key", async () => {
    const cache = await get().cache();
    for (const key of ["job-c", "job-a", "job-b"]) await seedEntry(cache, key);
    expect(keysOf(await cache.queryStatus(["QUEUED"]))).toEqual(["job-c", "job-a", "job-b"]);
  });

  it("queryStatus order stays by creation when an older entry is updated", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    for (const key of ["job-c", "job-a", "job-b"]) await seedEntry(cache, key);
    await ctx.advanceTime(1_000);
    const ticket = await cache.openTicket("job-c", 1, DURATION_MS);
    await cache.updateEntry(ticket, "QUEUED", { step: 2 });
    await cache.closeTicket(ticket);
    expect(keysOf(await cache.queryStatus(["QUEUED"]))).toEqual(["job-c", "job-a", "job-b"]);
  });

  it("queryStatus puts an entry deleted and created again last", async () => {
    const cache = await get().cache();
    for (const key of ["job-c", "job-a", "job-b"]) await seedEntry(cache, key);
    const ticket = await cache.openTicket("job-c", 1, DURATION_MS);
    await cache.deleteEntry(ticket);
    await cache.closeTicket(ticket);
    await seedEntry(cache, "job-c");
    expect(keysOf(await cache.queryStatus(["QUEUED"]))).toEqual(["job-a", "job-b", "job-c"]);
  });

  it("queryStatus limit caps the number returned, keeping the oldest", async () => {
    const cache = await get().cache();
    for (const key of ["job-c", "job-a", "job-b"]) await seedEntry(cache, key);
    expect(keysOf(await cache.queryStatus(["QUEUED"], { limit: 2 }))).toEqual(["job-c", "job-a"]);
    expect(keysOf(await cache.queryStatus(["QUEUED"], { limit: 1 }))).toEqual(["job-c"]);
    expect(keysOf(await cache.queryStatus(["QUEUED"], { limit: 10 }))).toEqual(["job-c", "job-a", "job-b"]);
  });

  it("queryStatus with limit 0 or an empty status list returns []", async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-1");
    expect(await cache.queryStatus(["QUEUED"], { limit: 0 })).toEqual([]);
    expect(await cache.queryStatus([])).toEqual([]);
    expect(await cache.queryStatus([], { includeOpenTickets: true })).toEqual([]);
  });

  it("queryStatus leaves out keys with a live ticket unless includeOpenTickets is true", async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-1");
    await heldEntry(cache, "job-2");
    await heldNewEntry(cache, "job-3");
    expect(keysOf(await cache.queryStatus(["QUEUED"]))).toEqual(["job-1"]);
    expect(keysOf(await cache.queryStatus(["QUEUED"], { includeOpenTickets: false }))).toEqual(["job-1"]);
    expect(keysOf(await cache.queryStatus(["QUEUED"], { includeOpenTickets: true }))).toEqual([
      "job-1",
      "job-2",
      "job-3",
    ]);
  });

  it("queryStatus applies the limit to the entries it returns, after hiding held keys", async () => {
    const cache = await get().cache();
    for (const key of ["job-1", "job-2", "job-3"]) await seedEntry(cache, key);
    await cache.openTicket("job-1", 1, DURATION_MS);
    expect(keysOf(await cache.queryStatus(["QUEUED"], { limit: 2 }))).toEqual(["job-2", "job-3"]);
  });

  it("queryStatus: expired and closed tickets never hide an entry", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    await seedEntry(cache, "job-1");
    await seedEntry(cache, "job-2");
    const closed = await cache.openTicket("job-1", 1, DURATION_MS);
    await cache.closeTicket(closed);
    await cache.openTicket("job-2", 1, DURATION_MS);
    expect(keysOf(await cache.queryStatus(["QUEUED"]))).toEqual(["job-1"]);
    await ctx.advanceTime(DURATION_MS);
    expect(keysOf(await cache.queryStatus(["QUEUED"]))).toEqual(["job-1", "job-2"]);
  });

  it("queryStatus: superseded and missing tickets hide nothing", async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-1", { revision: 2 });
    expectSuperseded(await cache.openTicket("job-1", 1, DURATION_MS));
    expectMissing(await cache.openTicket("job-1", 3, DURATION_MS));
    expectSuperseded(await cache.openNewTicket("job-1", DURATION_MS));
    expect(keysOf(await cache.queryStatus(["QUEUED"]))).toEqual(["job-1"]);
  });

  it("queryStatus: a live ticket on the same key in another cache does not hide the entry", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    const other = await ctx.cache<JobValue>("other-jobs");
    await seedEntry(cache, "job-1");
    await heldNewEntry(other, "job-1");
    expect(keysOf(await cache.queryStatus(["QUEUED"]))).toEqual(["job-1"]);
    expect(keysOf(await other.queryStatus(["QUEUED"]))).toEqual([]);
  });

  it("queryStatus never returns entries of another cache", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    const other = await ctx.cache<JobValue>("other-jobs");
    await seedEntry(cache, "job-1");
    await seedEntry(other, "job-2");
    await seedEntry(other, "job-1", { status: "RUNNING" });
    expect(keysOf(await cache.queryStatus(["QUEUED", "RUNNING"]))).toEqual(["job-1"]);
    expect((await cache.queryStatus(["QUEUED", "RUNNING"]))[0]?.status).toBe("QUEUED");
    expect(keysOf(await other.queryStatus(["QUEUED", "RUNNING"]))).toEqual(["job-2", "job-1"]);
  });
}
