import { expect, it } from "vitest";
import { ECacheTicket } from "../index.js";
import { DURATION_MS, expectGranted, expectKeyHeld, expectReject, expectStored } from "./expectations.js";
import { forgeTicket, heldEntry, heldNewEntry, ticketOperations } from "./fixtures.js";
import { CACHE_NAME, type ContextGetter, type JobValue } from "./suite-context.js";

/** CONTRACT.md "Tickets", Unknown tickets: only what this cache granted counts. */
export function unknownTicketCases(get: ContextGetter): void {
  it("a plain object copying a live ticket's fields is rejected by every operation", async () => {
    const cache = await get().cache();
    const holder = await heldEntry(cache, "job-1");
    const forged = forgeTicket(holder);
    for (const [name, run] of ticketOperations(cache, forged)) await expectReject(run(), ECacheTicket, name);
    await expectStored(cache, "job-1", { revision: 1, status: "QUEUED" });
    await expectKeyHeld(cache, "job-1", 1);
    expect(await cache.updateEntry(holder, "RUNNING", { step: 2 })).toBe(2);
  });

  it("closing a forged ticket resolves and does not release the real holder's lease", async () => {
    const cache = await get().cache();
    const holder = await heldEntry(cache, "job-1");
    await expect(cache.closeTicket(forgeTicket(holder))).resolves.toBeUndefined();
    await expectKeyHeld(cache, "job-1", 1);
    expect(await cache.updateEntry(holder, "RUNNING", { step: 2 })).toBe(2);
  });

  it("a ticket of another cache is rejected by every operation, and closing it there releases nothing", async () => {
    const ctx = get();
    const jobs = await ctx.cache();
    const other = await ctx.cache<JobValue>("other-jobs");
    const jobsHolder = await heldEntry(jobs, "job-1");
    const otherHolder = await heldNewEntry(other, "job-1", "QUEUED", { step: 7 });
    for (const [name, run] of ticketOperations(other, jobsHolder))
      await expectReject(run(), ECacheTicket, name);
    await expect(other.closeTicket(jobsHolder)).resolves.toBeUndefined();
    await expectStored(other, "job-1", { revision: 1, status: "QUEUED", value: { step: 7 } });
    await expectKeyHeld(jobs, "job-1", 1);
    await expectKeyHeld(other, "job-1", 1);
    expect(await jobs.updateEntry(jobsHolder, "RUNNING", { step: 2 })).toBe(2);
    expect(await other.updateEntry(otherHolder, "RUNNING", { step: 8 })).toBe(2);
  });

  it("a ticket from another manager is rejected by every operation, and closing it there releases nothing", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    const elsewhere = (await ctx.newManager()).getCache<JobValue>(CACHE_NAME);
    const holder = await heldEntry(cache, "job-1");
    for (const [name, run] of ticketOperations(elsewhere, holder))
      await expectReject(run(), ECacheTicket, name);
    await expect(elsewhere.closeTicket(holder)).resolves.toBeUndefined();
    await expectKeyHeld(cache, "job-1", 1);
    expect(await cache.updateEntry(holder, "RUNNING", { step: 2 })).toBe(2);
    // The other manager's view of the key did not move either (its own store, or the shared one).
    const seen = await elsewhere.queryKey("job-1");
    expect(seen?.revision).toBe(ctx.sharesAcrossManagers ? 2 : undefined);
  });

  it("a forged ticket for a key nobody holds is still rejected and creates nothing", async () => {
    const cache = await get().cache();
    const real = await cache.openNewTicket("job-1", DURATION_MS);
    expectGranted(real);
    const forged = { ...forgeTicket(real), key: "job-2" };
    await expectReject(cache.createEntry(forged, "QUEUED", { step: 1 }), ECacheTicket);
    await expectStored(cache, "job-2", undefined);
  });
}
