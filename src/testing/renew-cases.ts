import { expect, it } from "vitest";
import { ECacheTicket, EInvalidArgument, MAX_TICKET_DURATION_MS } from "../index.js";
import {
  DURATION_MS,
  expectGranted,
  expectKeyFree,
  expectKeyHeld,
  expectReject,
  expectStored,
  expectSuperseded,
} from "./expectations.js";
import { forgeTicket, heldEntry, heldNewEntry, seedEntry } from "./fixtures.js";
import { CACHE_NAME, type ContextGetter, type JobValue } from "./suite-context.js";

/** A real clock may move a little during a case; the renewed expiry must still be near now + d. */
const RENEW_SLACK_MS = 5_000;

/** CONTRACT.md "Tickets", renewTicket: heartbeats extend a live lease and never revive a dead one. */
export function renewCases(get: ContextGetter): void {
  it("renewTicket returns a new ticket for the same grant, expiring at now + durationMs", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    const ticket = await heldEntry(cache, "job-1");
    await ctx.advanceTime(1_000);
    const renewed = await cache.renewTicket(ticket, DURATION_MS);
    expect(renewed).not.toBe(ticket);
    expect(renewed.key).toBe("job-1");
    expect(renewed.revision).toBe(1);
    expect(renewed.grantTime.getTime()).toBe(ticket.grantTime.getTime());
    expectGranted(renewed);
    const fromGrant = renewed.expiry.getTime() - ticket.grantTime.getTime();
    expect(fromGrant).toBeGreaterThanOrEqual(1_000 + DURATION_MS);
    // now + d, not old expiry + d (which would be 2d after the grant).
    expect(fromGrant).toBeLessThan(1_000 + DURATION_MS + RENEW_SLACK_MS);
  });

  it("a renewed ticket outlives the original expiry: it stays exclusive and can write", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    const ticket = await heldEntry(cache, "job-1");
    await ctx.advanceTime(DURATION_MS / 2);
    const renewed = await cache.renewTicket(ticket, DURATION_MS);
    await ctx.advanceTime(DURATION_MS / 2 + 1_000);
    expect(renewed.superseded).toBe(false);
    await expectKeyHeld(cache, "job-1", 1);
    expect(await cache.updateEntry(renewed, "RUNNING", { step: 2 })).toBe(2);
  });

  it("the renewed ticket continues the grant's revision tracking", async () => {
    const cache = await get().cache();
    const ticket = await heldNewEntry(cache, "job-1");
    expect(await cache.updateEntry(ticket, "RUNNING", { step: 2 })).toBe(2);
    const renewed = await cache.renewTicket(ticket, DURATION_MS);
    expect(await cache.updateEntry(renewed, "DONE", { step: 3 })).toBe(3);
    expect((await cache.readEntry(renewed)).revision).toBe(3);
  });

  it("renewing an expired ticket throws ECacheTicket even when nobody took the key, and revives nothing", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    const ticket = await heldEntry(cache, "job-1");
    await ctx.advanceTime(DURATION_MS);
    await expectReject(cache.renewTicket(ticket, DURATION_MS), ECacheTicket);
    await expectReject(cache.updateEntry(ticket, "RUNNING", { step: 2 }), ECacheTicket);
    await expectKeyFree(cache, "job-1", 1);
    await expectStored(cache, "job-1", { revision: 1, status: "QUEUED" });
  });

  it("renewing an expired ticket whose key went to another holder throws ECacheTicket; the holder keeps it", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    const stale = await heldEntry(cache, "job-1");
    await ctx.advanceTime(DURATION_MS + 1);
    const holder = await cache.openTicket("job-1", 1, DURATION_MS);
    expectGranted(holder);
    await expectReject(cache.renewTicket(stale, DURATION_MS), ECacheTicket);
    await expectKeyHeld(cache, "job-1", 1);
    expect(await cache.updateEntry(holder, "RUNNING", { step: 2 })).toBe(2);
  });

  it("renewal never revives a ticket the store expired, even one whose holder's clock says it is live", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    const other = ctx.sharesAcrossManagers ? (await ctx.newManager()).getCache<JobValue>(CACHE_NAME) : cache;
    const paused = await heldEntry(cache, "job-1");
    await (ctx.advanceStoreTime ?? ctx.advanceTime)(DURATION_MS + 1);
    await expectReject(cache.renewTicket(paused, DURATION_MS), ECacheTicket, "nobody took the key");
    const taker = await other.openTicket("job-1", 1, DURATION_MS);
    expectGranted(taker);
    await expectReject(cache.renewTicket(paused, DURATION_MS), ECacheTicket, "the key was taken");
    await expectKeyHeld(other, "job-1", 1);
    expect(await other.updateEntry(taker, "RUNNING", { step: 2 })).toBe(2);
  });

  it("renewing a closed ticket throws ECacheTicket and leaves the key free", async () => {
    const cache = await get().cache();
    const ticket = await heldEntry(cache, "job-1");
    await cache.closeTicket(ticket);
    await expectReject(cache.renewTicket(ticket, DURATION_MS), ECacheTicket);
    await expectKeyFree(cache, "job-1", 1);
  });

  it("renewing superseded, missing or unknown tickets throws ECacheTicket", async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-1");
    const superseded = await cache.openTicket("job-1", 0, DURATION_MS);
    const missing = await cache.openTicket("job-2", 1, DURATION_MS);
    const holder = await cache.openTicket("job-1", 1, DURATION_MS);
    expectGranted(holder);
    await expectReject(cache.renewTicket(superseded, DURATION_MS), ECacheTicket, "superseded");
    await expectReject(cache.renewTicket(missing, DURATION_MS), ECacheTicket, "missing");
    await expectReject(cache.renewTicket(forgeTicket(holder), DURATION_MS), ECacheTicket, "forged");
    expectSuperseded(await cache.openTicket("job-1", 1, DURATION_MS));
  });

  it("renewing for more than MAX_TICKET_DURATION_MS throws ECacheTicket and changes nothing", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    const ticket = await heldEntry(cache, "job-1");
    await expectReject(cache.renewTicket(ticket, MAX_TICKET_DURATION_MS + 1), ECacheTicket);
    expect(await cache.updateEntry(ticket, "RUNNING", { step: 2 })).toBe(2);
    // The expiry did not move: the lease ends when it would have.
    await ctx.advanceTime(DURATION_MS);
    expect(ticket.superseded).toBe(true);
    await expectKeyFree(cache, "job-1", 2);
  });

  it("renewing for exactly MAX_TICKET_DURATION_MS is accepted", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    const ticket = await heldEntry(cache, "job-1");
    const renewed = await cache.renewTicket(ticket, MAX_TICKET_DURATION_MS);
    await ctx.advanceTime(MAX_TICKET_DURATION_MS / 2);
    expect(renewed.superseded).toBe(false);
    await expectKeyHeld(cache, "job-1", 1);
  });

  it("renewing with a duration that is not a finite number > 0 throws EInvalidArgument", async () => {
    const cache = await get().cache();
    const ticket = await heldEntry(cache, "job-1");
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, "10", null, undefined]) {
      await expectReject(
        cache.renewTicket(ticket, bad as number),
        EInvalidArgument,
        `durationMs ${String(bad)}`,
      );
    }
    expect(await cache.updateEntry(ticket, "RUNNING", { step: 2 })).toBe(2);
  });

  it("closing a renewed ticket releases the key at once", async () => {
    const cache = await get().cache();
    const ticket = await heldEntry(cache, "job-1");
    const renewed = await cache.renewTicket(ticket, DURATION_MS);
    await cache.closeTicket(renewed);
    await expectKeyFree(cache, "job-1", 1);
  });
}
