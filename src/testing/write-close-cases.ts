import { expect, it } from "vitest";
import { ECacheDuplicate, ECacheNotFound, ECacheTicket, EInvalidArgument } from "../index.js";
import {
  DURATION_MS,
  expectGranted,
  expectKeyFree,
  expectKeyHeld,
  expectReject,
  expectStored,
} from "./expectations.js";
import { heldEntry, heldNewEntry, seedEntry } from "./fixtures.js";
import type { ContextGetter } from "./suite-context.js";

/** CONTRACT.md "Fast path": a write with `{ close: true }` releases in the same commit. */
export function writeCloseCases(get: ContextGetter): void {
  it("updateEntry with close: the update stays, the key is free at once, the ticket is closed", async () => {
    const cache = await get().cache();
    const ticket = await heldEntry(cache, "job-1");
    expect(await cache.updateEntry(ticket, "DONE", { step: 2 }, { close: true })).toBe(2);
    await expectStored(cache, "job-1", { revision: 2, status: "DONE", value: { step: 2 } });
    await expectKeyFree(cache, "job-1", 2);
    await expectReject(cache.readEntry(ticket), ECacheTicket);
    await expect(cache.closeTicket(ticket)).resolves.toBeUndefined();
  });

  it("createEntry with close: the entry exists at revision 1 and can be opened at once", async () => {
    const cache = await get().cache();
    const ticket = await cache.openNewTicket("job-1", DURATION_MS);
    expectGranted(ticket);
    expect(await cache.createEntry(ticket, "QUEUED", { step: 1 }, { close: true })).toBe(1);
    const next = await cache.openTicket("job-1", 1, DURATION_MS);
    expectGranted(next);
    await expectReject(cache.updateEntry(ticket, "RUNNING", { step: 2 }), ECacheTicket);
  });

  it("deleteEntry with close: the key is unknown and can be created again at once", async () => {
    const cache = await get().cache();
    const ticket = await heldEntry(cache, "job-1");
    await cache.deleteEntry(ticket, { close: true });
    await expectStored(cache, "job-1", undefined);
    await expectKeyFree(cache, "job-1");
  });

  it("a claimed entry's last write closes it, and the next claim gets it at the new revision", async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-1");
    const [claimed] = await cache.claimStatus(["QUEUED"], DURATION_MS);
    expect(await cache.updateEntry(claimed!.ticket, "QUEUED", { step: 2 }, { close: true })).toBe(2);
    const [again] = await cache.claimStatus(["QUEUED"], DURATION_MS);
    expect({ key: again?.entry.key, revision: again?.ticket.revision }).toEqual({
      key: "job-1",
      revision: 2,
    });
  });

  it("close: false (or no options) keeps the ticket live", async () => {
    const cache = await get().cache();
    const ticket = await heldEntry(cache, "job-1");
    expect(await cache.updateEntry(ticket, "RUNNING", { step: 2 }, { close: false })).toBe(2);
    await expectKeyHeld(cache, "job-1", 2);
    expect(await cache.updateEntry(ticket, "DONE", { step: 3 }, {})).toBe(3);
    await expectKeyHeld(cache, "job-1", 3);
  });

  it("a refused close: true write throws as without it and leaves the lease held", async () => {
    const cache = await get().cache();
    const created = await heldNewEntry(cache, "job-1");
    await expectReject(cache.createEntry(created, "QUEUED", { step: 1 }, { close: true }), ECacheDuplicate);
    await expectKeyHeld(cache, "job-1", 1);
    await cache.deleteEntry(created);
    await expectReject(cache.updateEntry(created, "DONE", { step: 2 }, { close: true }), ECacheNotFound);
    await expectReject(cache.deleteEntry(created, { close: true }), ECacheNotFound);
    await expectKeyHeld(cache, "job-1");
    expect(await cache.createEntry(created, "QUEUED", { step: 3 })).toBe(1);
  });

  it("a close: true write by a ticket that lost its lease throws ECacheTicket and frees nothing of the new holder", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    const stale = await heldEntry(cache, "job-1");
    await ctx.advanceTime(DURATION_MS + 1);
    const next = await cache.openTicket("job-1", 1, DURATION_MS);
    expectGranted(next);
    await expectReject(cache.updateEntry(stale, "DONE", { step: 9 }, { close: true }), ECacheTicket);
    await expectKeyHeld(cache, "job-1", 1);
    expect(await cache.updateEntry(next, "DONE", { step: 2 })).toBe(2);
  });

  it("a bad options argument is EInvalidArgument and changes nothing", async () => {
    const cache = await get().cache();
    const ticket = await heldEntry(cache, "job-1");
    await expectReject(
      cache.updateEntry(ticket, "DONE", { step: 2 }, { close: "yes" as unknown as boolean }),
      EInvalidArgument,
    );
    await expectReject(cache.deleteEntry(ticket, null as unknown as object), EInvalidArgument);
    await expectStored(cache, "job-1", { revision: 1, status: "QUEUED" });
    await expectKeyHeld(cache, "job-1", 1);
  });
}
