import { expect, it } from "vitest";
import { ECache, ECacheDuplicate, ECacheNotFound } from "../index.js";
import {
  DURATION_MS,
  expectGranted,
  expectKeyFree,
  expectMissing,
  expectReject,
  expectStored,
  expectSuperseded,
} from "./expectations.js";
import { heldEntry, heldNewEntry, seedEntry } from "./fixtures.js";
import type { ContextGetter } from "./suite-context.js";

/** CONTRACT.md "Entries and revisions": create, update, delete, read and their revisions. */
export function entryCases(get: ContextGetter): void {
  it("createEntry under a new ticket returns revision 1 and stores status and value", async () => {
    const cache = await get().cache();
    const ticket = await cache.openNewTicket("job-1", DURATION_MS);
    expect(await cache.createEntry(ticket, "QUEUED", { step: 1, note: "first" })).toBe(1);
    await expectStored(cache, "job-1", { revision: 1, status: "QUEUED", value: { step: 1, note: "first" } });
  });

  it("createEntry twice under the same new ticket throws ECacheDuplicate and keeps the first entry", async () => {
    const cache = await get().cache();
    const ticket = await heldNewEntry(cache, "job-1", "QUEUED", { step: 1 });
    await expectReject(cache.createEntry(ticket, "OTHER", { step: 2 }), ECacheDuplicate);
    await expectStored(cache, "job-1", { revision: 1, status: "QUEUED", value: { step: 1 } });
    expect(await cache.updateEntry(ticket, "RUNNING", { step: 2 })).toBe(2);
  });

  it("createEntry with a live regular ticket on an existing entry throws ECacheDuplicate", async () => {
    const cache = await get().cache();
    const ticket = await heldEntry(cache, "job-1", 2);
    await expectReject(cache.createEntry(ticket, "OTHER", { step: 9 }), ECacheDuplicate);
    await expectStored(cache, "job-1", { revision: 2, status: "QUEUED", value: { step: 1 } });
  });

  it("createEntry needs a ticket from openNewTicket: a regular ticket that deleted its entry cannot create", async () => {
    const cache = await get().cache();
    const ticket = await heldEntry(cache, "job-1");
    await cache.deleteEntry(ticket);
    await expectReject(cache.createEntry(ticket, "QUEUED", { step: 2 }), ECache);
    await expectStored(cache, "job-1", undefined);
  });

  it("the creating ticket may then read, update and delete its entry", async () => {
    const cache = await get().cache();
    const ticket = await heldNewEntry(cache, "job-1", "QUEUED", { step: 1 });
    const read = await cache.readEntry(ticket);
    expect({ key: read.key, revision: read.revision, status: read.status, value: read.value }).toEqual({
      key: "job-1",
      revision: 1,
      status: "QUEUED",
      value: { step: 1 },
    });
    expect(await cache.updateEntry(ticket, "RUNNING", { step: 2 })).toBe(2);
    await cache.deleteEntry(ticket);
    await expectStored(cache, "job-1", undefined);
  });

  it("read, update and delete under a new ticket before create throw ECacheNotFound and create nothing", async () => {
    const cache = await get().cache();
    const ticket = await cache.openNewTicket("job-1", DURATION_MS);
    expectGranted(ticket);
    await expectReject(cache.readEntry(ticket), ECacheNotFound, "readEntry");
    await expectReject(cache.updateEntry(ticket, "RUNNING", { step: 1 }), ECacheNotFound, "updateEntry");
    await expectReject(cache.deleteEntry(ticket), ECacheNotFound, "deleteEntry");
    await expectStored(cache, "job-1", undefined);
    expect(await cache.createEntry(ticket, "QUEUED", { step: 1 })).toBe(1);
  });

  it("updateEntry returns previous + 1 each time, also for an identical status and value", async () => {
    const cache = await get().cache();
    const ticket = await heldEntry(cache, "job-1");
    expect(await cache.updateEntry(ticket, "QUEUED", { step: 1 })).toBe(2);
    expect(await cache.updateEntry(ticket, "QUEUED", { step: 1 })).toBe(3);
    expect(await cache.updateEntry(ticket, "RUNNING", { step: 2 })).toBe(4);
    await expectStored(cache, "job-1", { revision: 4, status: "RUNNING", value: { step: 2 } });
  });

  it("revisions continue across tickets: each holder starts from the last committed revision", async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-1");
    for (const revision of [1, 2, 3]) {
      const ticket = await cache.openTicket("job-1", revision, DURATION_MS);
      expectGranted(ticket);
      expect(await cache.updateEntry(ticket, "RUNNING", { step: revision + 1 })).toBe(revision + 1);
      await cache.closeTicket(ticket);
    }
    await expectStored(cache, "job-1", { revision: 4, status: "RUNNING", value: { step: 4 } });
  });

  it("readEntry under a regular ticket returns the whole entry, decoded and ok", async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-1", { revision: 2, status: "WAITING", value: { step: 5, note: "x" } });
    const ticket = await cache.openTicket("job-1", 2, DURATION_MS);
    const entry = await cache.readEntry(ticket);
    expect(entry.key).toBe("job-1");
    expect(entry.revision).toBe(2);
    expect(entry.status).toBe("WAITING");
    expect(entry.value).toEqual({ step: 5, note: "x" });
    expect(entry.cacheOk).toBe(true);
    expect(entry.cacheError).toBeUndefined();
  });

  it("a ticket may read, update, update again, read its own writes, then delete", async () => {
    const cache = await get().cache();
    const ticket = await heldEntry(cache, "job-1");
    expect((await cache.readEntry(ticket)).revision).toBe(1);
    expect(await cache.updateEntry(ticket, "RUNNING", { step: 2 })).toBe(2);
    expect(await cache.updateEntry(ticket, "DONE", { step: 3 })).toBe(3);
    const entry = await cache.readEntry(ticket);
    expect({ revision: entry.revision, status: entry.status, value: entry.value }).toEqual({
      revision: 3,
      status: "DONE",
      value: { step: 3 },
    });
    await cache.deleteEntry(ticket);
    await expectStored(cache, "job-1", undefined);
  });

  it("after deleteEntry the key is unknown: queryKey undefined, openTicket missing", async () => {
    const cache = await get().cache();
    const ticket = await heldEntry(cache, "job-1", 2);
    await cache.deleteEntry(ticket);
    await cache.closeTicket(ticket);
    await expectStored(cache, "job-1", undefined);
    expectMissing(await cache.openTicket("job-1", 2, DURATION_MS));
    expectMissing(await cache.openTicket("job-1", 3, DURATION_MS));
  });

  it("after deleteEntry the same ticket gets ECacheNotFound for read, update and delete", async () => {
    const cache = await get().cache();
    const ticket = await heldEntry(cache, "job-1");
    await cache.deleteEntry(ticket);
    await expectReject(cache.readEntry(ticket), ECacheNotFound, "readEntry");
    await expectReject(cache.updateEntry(ticket, "RUNNING", { step: 2 }), ECacheNotFound, "updateEntry");
    await expectReject(cache.deleteEntry(ticket), ECacheNotFound, "deleteEntry");
    await expectStored(cache, "job-1", undefined);
  });

  it("a deleted key can be created again from revision 1 once the deleting ticket expired", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    const ticket = await heldEntry(cache, "job-1", 3);
    await cache.deleteEntry(ticket);
    expectSuperseded(await cache.openNewTicket("job-1", DURATION_MS));
    await ctx.advanceTime(DURATION_MS);
    const creator = await cache.openNewTicket("job-1", DURATION_MS);
    expectGranted(creator);
    expect(await cache.createEntry(creator, "QUEUED", { step: 1 })).toBe(1);
    await expectStored(cache, "job-1", { revision: 1, status: "QUEUED" });
  });

  it("a new ticket that deleted its own entry may create it again, from revision 1", async () => {
    const cache = await get().cache();
    const ticket = await heldNewEntry(cache, "job-1");
    await cache.updateEntry(ticket, "RUNNING", { step: 2 });
    await cache.deleteEntry(ticket);
    expect(await cache.createEntry(ticket, "QUEUED", { step: 10 })).toBe(1);
    await expectStored(cache, "job-1", { revision: 1, status: "QUEUED", value: { step: 10 } });
    await cache.closeTicket(ticket);
    await expectKeyFree(cache, "job-1", 1);
  });
}
