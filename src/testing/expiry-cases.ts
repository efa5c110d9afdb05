import { expect, it } from "vitest";
import { ECacheTicket } from "../index.js";
import {
  DURATION_MS,
  expectGranted,
  expectKeyFree,
  expectKeyHeld,
  expectReject,
  expectStored,
} from "./expectations.js";
import { heldEntry, heldNewEntry } from "./fixtures.js";
import type { ContextGetter } from "./suite-context.js";

/** CONTRACT.md "Tickets", Expiry: a lease ends by itself; what was written stays. */
export function expiryCases(get: ContextGetter): void {
  it("a ticket is live before its expiry and superseded from its expiry on (local clock)", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    const ticket = await cache.openNewTicket("job-1", DURATION_MS);
    await ctx.advanceTime(DURATION_MS / 2);
    expect(ticket.superseded).toBe(false);
    await ctx.advanceTime(DURATION_MS / 2);
    expect(ticket.superseded).toBe(true);
    expect(ticket.missing).toBe(false);
  });

  it("a ticket stays exclusive until its expiry", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    await heldEntry(cache, "job-1");
    await ctx.advanceTime(DURATION_MS / 2);
    await expectKeyHeld(cache, "job-1", 1);
    await expectKeyHeld(cache, "job-1");
  });

  it("an expired ticket can no longer operate, but its writes made before expiry stay", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    const ticket = await heldNewEntry(cache, "job-1", "QUEUED", { step: 1 });
    expect(await cache.updateEntry(ticket, "RUNNING", { step: 2 })).toBe(2);
    await ctx.advanceTime(DURATION_MS);
    await expectReject(cache.updateEntry(ticket, "DONE", { step: 3 }), ECacheTicket, "updateEntry");
    await expectReject(cache.readEntry(ticket), ECacheTicket, "readEntry");
    await expectReject(cache.deleteEntry(ticket), ECacheTicket, "deleteEntry");
    await expectStored(cache, "job-1", { revision: 2, status: "RUNNING", value: { step: 2 } });
  });

  it("after expiry the key is granted again to a new holder", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    await heldEntry(cache, "job-1");
    await ctx.advanceTime(DURATION_MS);
    const next = await cache.openTicket("job-1", 1, DURATION_MS);
    expectGranted(next);
    expect(await cache.updateEntry(next, "RUNNING", { step: 2 })).toBe(2);
  });

  it("an expired new ticket that never created anything leaves the key free and unknown", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    expectGranted(await cache.openNewTicket("job-1", DURATION_MS));
    await ctx.advanceTime(DURATION_MS + 1);
    await expectStored(cache, "job-1", undefined);
    await expectKeyFree(cache, "job-1");
  });
}
