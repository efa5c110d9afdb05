import { expect, it } from "vitest";
import { ECacheTicket } from "../index.js";
import {
  DURATION_MS,
  expectGranted,
  expectKeyFree,
  expectKeyHeld,
  expectMissing,
  expectReject,
  expectStored,
  expectSuperseded,
} from "./expectations.js";
import { heldEntry, heldNewEntry, seedEntry } from "./fixtures.js";
import type { ContextGetter } from "./suite-context.js";

/** CONTRACT.md "Tickets", closeTicket: releases at once; a no-op for anything it does not hold. */
export function closeCases(get: ContextGetter): void {
  it("closeTicket releases the key at once, without waiting for the expiry", async () => {
    const cache = await get().cache();
    const ticket = await heldEntry(cache, "job-1");
    await cache.closeTicket(ticket);
    await expectKeyFree(cache, "job-1", 1);
  });

  it("changes made under a ticket stay after it is closed (tickets are not transactions)", async () => {
    const cache = await get().cache();
    const ticket = await heldNewEntry(cache, "job-1", "QUEUED", { step: 1 });
    await cache.updateEntry(ticket, "RUNNING", { step: 2 });
    await cache.closeTicket(ticket);
    await expectStored(cache, "job-1", { revision: 2, status: "RUNNING", value: { step: 2 } });
  });

  it("a closed ticket can no longer operate", async () => {
    const cache = await get().cache();
    const ticket = await heldNewEntry(cache, "job-1");
    await cache.closeTicket(ticket);
    await expectReject(cache.readEntry(ticket), ECacheTicket, "readEntry");
    await expectReject(cache.updateEntry(ticket, "RUNNING", { step: 2 }), ECacheTicket, "updateEntry");
    await expectReject(cache.deleteEntry(ticket), ECacheTicket, "deleteEntry");
    await expectStored(cache, "job-1", { revision: 1, status: "QUEUED" });
  });

  it("closing a ticket twice is a no-op the second time, even after the key was granted again", async () => {
    const cache = await get().cache();
    const ticket = await heldEntry(cache, "job-1");
    await cache.closeTicket(ticket);
    const next = await cache.openTicket("job-1", 1, DURATION_MS);
    expectGranted(next);
    await expect(cache.closeTicket(ticket)).resolves.toBeUndefined();
    await expectKeyHeld(cache, "job-1", 1);
    expect(await cache.updateEntry(next, "RUNNING", { step: 2 })).toBe(2);
  });

  it("closing an expired ticket resolves and does not release the key's next holder", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    const stale = await heldEntry(cache, "job-1");
    await ctx.advanceTime(DURATION_MS + 1);
    const next = await cache.openTicket("job-1", 1, DURATION_MS);
    expectGranted(next);
    await expect(cache.closeTicket(stale)).resolves.toBeUndefined();
    await expectKeyHeld(cache, "job-1", 1);
  });

  it("closing superseded and missing tickets resolves and leaves the holder's lease alone", async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-1");
    // Missing (a revision that does not exist) is only reported while nobody holds the key.
    const missing = await cache.openTicket("job-1", 5, DURATION_MS);
    const holder = await cache.openTicket("job-1", 1, DURATION_MS);
    expectGranted(holder);
    const superseded = await cache.openTicket("job-1", 1, DURATION_MS);
    expectSuperseded(superseded);
    expectMissing(missing);
    await expect(cache.closeTicket(superseded)).resolves.toBeUndefined();
    await expect(cache.closeTicket(missing)).resolves.toBeUndefined();
    await expectKeyHeld(cache, "job-1", 1);
    expect(await cache.updateEntry(holder, "RUNNING", { step: 2 })).toBe(2);
  });

  it("ticket.close() releases the key as closeTicket does", async () => {
    const cache = await get().cache();
    const ticket = await heldEntry(cache, "job-1");
    await ticket.close();
    await expectReject(cache.updateEntry(ticket, "RUNNING", { step: 2 }), ECacheTicket);
    await expectKeyFree(cache, "job-1", 1);
    await expect(ticket.close()).resolves.toBeUndefined();
  });

  it("`await using` closes the ticket at the end of its block", async () => {
    const cache = await get().cache();
    {
      await using ticket = await cache.openNewTicket("job-1", DURATION_MS);
      expectGranted(ticket);
      await cache.createEntry(ticket, "QUEUED", { step: 1 });
      await expectKeyHeld(cache, "job-1", 1);
    }
    await expectKeyFree(cache, "job-1", 1);
    await expectStored(cache, "job-1", { revision: 1, status: "QUEUED" });
  });

  it("`await using` on a refused ticket disposes quietly and leaves the holder's lease alone", async () => {
    const cache = await get().cache();
    const holder = await heldEntry(cache, "job-1");
    {
      await using refused = await cache.openTicket("job-1", 1, DURATION_MS);
      expectSuperseded(refused);
    }
    await expectKeyHeld(cache, "job-1", 1);
    expect(await cache.updateEntry(holder, "RUNNING", { step: 2 })).toBe(2);
  });

  it("closing the ticket that deleted an entry frees the key for a new entry from revision 1", async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-1", { revision: 3 });
    const ticket = await cache.openTicket("job-1", 3, DURATION_MS);
    await cache.deleteEntry(ticket);
    expectSuperseded(await cache.openNewTicket("job-1", DURATION_MS));
    await cache.closeTicket(ticket);
    const creator = await cache.openNewTicket("job-1", DURATION_MS);
    expectGranted(creator);
    expect(await cache.createEntry(creator, "QUEUED", { step: 1 })).toBe(1);
  });
}
