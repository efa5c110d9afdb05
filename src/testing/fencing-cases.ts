import { expect, it } from "vitest";
import { ECacheTicket } from "../index.js";
import { DURATION_MS, expectGranted, expectReject, expectStored } from "./expectations.js";
import { heldEntry, seedEntry } from "./fixtures.js";
import { CACHE_NAME, type ContextGetter, type JobValue } from "./suite-context.js";

/** CONTRACT.md "Fencing": only the live holder at the revision it last saw can commit. */
export function fencingCases(get: ContextGetter): void {
  it("a ticket past its expiry cannot write, though its object still exists and nobody took the key", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    const ticket = await heldEntry(cache, "job-1");
    await ctx.advanceTime(DURATION_MS + 1);
    await expectReject(cache.updateEntry(ticket, "RUNNING", { step: 2 }), ECacheTicket, "updateEntry");
    await expectReject(cache.deleteEntry(ticket), ECacheTicket, "deleteEntry");
    await expectStored(cache, "job-1", { revision: 1, status: "QUEUED", value: { step: 1 } });
  });

  it("an expired new ticket cannot create its entry", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    const ticket = await cache.openNewTicket("job-1", DURATION_MS);
    expectGranted(ticket);
    await ctx.advanceTime(DURATION_MS);
    await expectReject(cache.createEntry(ticket, "QUEUED", { step: 1 }), ECacheTicket);
    await expectStored(cache, "job-1", undefined);
  });

  it("after another process took over and wrote, the old holder's write is rejected and the new revision stands", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    // A second process when the target shares its store; otherwise a second holder in this one.
    const other = ctx.sharesAcrossManagers ? (await ctx.newManager()).getCache<JobValue>(CACHE_NAME) : cache;
    const stale = await heldEntry(cache, "job-1");
    expect(await cache.updateEntry(stale, "RUNNING", { step: 2 })).toBe(2);
    await ctx.advanceTime(DURATION_MS + 1);
    const taker = await other.openTicket("job-1", 2, DURATION_MS);
    expectGranted(taker);
    expect(await other.updateEntry(taker, "RETRYING", { step: 3 })).toBe(3);
    await expectReject(cache.updateEntry(stale, "DONE", { step: 99 }), ECacheTicket, "updateEntry");
    await expectReject(cache.deleteEntry(stale), ECacheTicket, "deleteEntry");
    await expectStored(cache, "job-1", { revision: 3, status: "RETRYING", value: { step: 3 } });
    expect(await other.updateEntry(taker, "DONE", { step: 4 })).toBe(4);
  });

  it("a holder that paused past its expiry cannot commit, even if its own clock says it may", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    const other = ctx.sharesAcrossManagers ? (await ctx.newManager()).getCache<JobValue>(CACHE_NAME) : cache;
    const paused = await heldEntry(cache, "job-1");
    if (ctx.advanceStoreTime === undefined) {
      await ctx.advanceTime(DURATION_MS + 1);
    } else {
      await ctx.advanceStoreTime(DURATION_MS + 1);
      // The holder's own clock has not moved: by its reckoning the ticket is still live.
      expect(paused.superseded).toBe(false);
    }
    await expectReject(cache.updateEntry(paused, "RUNNING", { step: 2 }), ECacheTicket, "before a takeover");
    const taker = await other.openTicket("job-1", 1, DURATION_MS);
    expectGranted(taker);
    await expectReject(cache.updateEntry(paused, "RUNNING", { step: 2 }), ECacheTicket, "after a takeover");
    await expectReject(cache.deleteEntry(paused), ECacheTicket, "delete after a takeover");
    expect(await other.updateEntry(taker, "RETRYING", { step: 3 })).toBe(2);
    await expectStored(cache, "job-1", { revision: 2, status: "RETRYING", value: { step: 3 } });
  });

  it("a holder whose clock lags the store's cannot commit once the store's expiry passed", async () => {
    const ctx = get();
    const lagging = (await ctx.newManager({ clockOffsetMs: -10 * DURATION_MS })).getCache<JobValue>(
      CACHE_NAME,
    );
    await seedEntry(lagging, "job-1");
    const ticket = await lagging.openTicket("job-1", 1, DURATION_MS);
    expectGranted(ticket);
    await ctx.advanceTime(DURATION_MS + 1);
    await expectReject(lagging.updateEntry(ticket, "RUNNING", { step: 2 }), ECacheTicket);
    await expectStored(lagging, "job-1", { revision: 1, status: "QUEUED" });
  });

  it("a holder whose clock runs a little ahead of the store's still holds and writes normally", async () => {
    const ctx = get();
    const ahead = (await ctx.newManager({ clockOffsetMs: DURATION_MS / 4 })).getCache<JobValue>(CACHE_NAME);
    const ticket = await ahead.openNewTicket("job-1", DURATION_MS);
    expectGranted(ticket);
    expect(await ahead.createEntry(ticket, "QUEUED", { step: 1 })).toBe(1);
    expect(await ahead.updateEntry(ticket, "RUNNING", { step: 2 })).toBe(2);
  });
}
