import { expect, it } from "vitest";
import { ECacheTicket } from "../index.js";
import {
  DURATION_MS,
  expectGranted,
  expectKeyHeld,
  expectMissing,
  expectReject,
  expectStored,
  expectSuperseded,
} from "./expectations.js";
import { heldEntry, heldNewEntry, seedEntry, ticketOperations } from "./fixtures.js";
import type { ContextGetter } from "./suite-context.js";

/** CONTRACT.md "Tickets": when openNewTicket / openTicket grant, and what refused tickets are. */
export function ticketCases(get: ContextGetter): void {
  it("openNewTicket on an unknown key grants revision 0 for the asked duration", async () => {
    const cache = await get().cache();
    const ticket = await cache.openNewTicket("job-1", DURATION_MS);
    expectGranted(ticket);
    expect(ticket.key).toBe("job-1");
    expect(ticket.revision).toBe(0);
    expect(ticket.grantTime).toBeInstanceOf(Date);
    expect(ticket.expiry).toBeInstanceOf(Date);
    expect(ticket.expiry.getTime() - ticket.grantTime.getTime()).toBe(DURATION_MS);
  });

  it("openNewTicket on an existing entry is superseded, not missing", async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-1");
    expectSuperseded(await cache.openNewTicket("job-1", DURATION_MS));
  });

  it("openNewTicket while a live new ticket holds the key is superseded", async () => {
    const cache = await get().cache();
    expectGranted(await cache.openNewTicket("job-1", DURATION_MS));
    expectSuperseded(await cache.openNewTicket("job-1", DURATION_MS));
  });

  it("openNewTicket while a live regular ticket holds the key is superseded", async () => {
    const cache = await get().cache();
    await heldEntry(cache, "job-1");
    expectSuperseded(await cache.openNewTicket("job-1", DURATION_MS));
  });

  it("openTicket at the entry's exact revision is granted for that revision", async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-1", { revision: 3 });
    const ticket = await cache.openTicket("job-1", 3, DURATION_MS);
    expectGranted(ticket);
    expect(ticket.key).toBe("job-1");
    expect(ticket.revision).toBe(3);
    expect(ticket.expiry.getTime() - ticket.grantTime.getTime()).toBe(DURATION_MS);
  });

  it("openTicket on a key with no entry is missing, not superseded", async () => {
    const cache = await get().cache();
    expectMissing(await cache.openTicket("job-1", 1, DURATION_MS));
    expectMissing(await cache.openTicket("job-2", 0, DURATION_MS));
  });

  it("openTicket with a revision above the entry's is missing", async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-1", { revision: 2 });
    expectMissing(await cache.openTicket("job-1", 3, DURATION_MS));
    expectMissing(await cache.openTicket("job-1", 40, DURATION_MS));
  });

  it("openTicket with a revision below the entry's is superseded", async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-1", { revision: 2 });
    expectSuperseded(await cache.openTicket("job-1", 1, DURATION_MS));
    expectSuperseded(await cache.openTicket("job-1", 0, DURATION_MS));
  });

  it("openTicket while another live ticket holds the key is superseded, whatever the revision", async () => {
    const cache = await get().cache();
    await heldEntry(cache, "job-1", 2);
    expectSuperseded(await cache.openTicket("job-1", 2, DURATION_MS));
    expectSuperseded(await cache.openTicket("job-1", 1, DURATION_MS));
  });

  it("openTicket is superseded while the creating new ticket still holds the key", async () => {
    const cache = await get().cache();
    await heldNewEntry(cache, "job-1");
    expectSuperseded(await cache.openTicket("job-1", 1, DURATION_MS));
  });

  it("a superseded ticket holds nothing: every operation throws ECacheTicket", async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-1");
    const refused = await cache.openNewTicket("job-1", DURATION_MS);
    expectSuperseded(refused);
    for (const [name, run] of ticketOperations(cache, refused)) await expectReject(run(), ECacheTicket, name);
    await expectStored(cache, "job-1", { revision: 1, status: "QUEUED", value: { step: 1 } });
  });

  it("a missing ticket holds nothing: every operation throws ECacheTicket", async () => {
    const cache = await get().cache();
    const refused = await cache.openTicket("job-1", 1, DURATION_MS);
    expectMissing(refused);
    for (const [name, run] of ticketOperations(cache, refused)) await expectReject(run(), ECacheTicket, name);
    await expectStored(cache, "job-1", undefined);
    // It took nothing: the key can still be created.
    const creator = await cache.openNewTicket("job-1", DURATION_MS);
    expectGranted(creator);
  });

  it("a refused ticket does not disturb the holder, which keeps the key and can still write", async () => {
    const cache = await get().cache();
    const holder = await heldEntry(cache, "job-1");
    const refused = await cache.openTicket("job-1", 1, DURATION_MS);
    expectSuperseded(refused);
    await cache.closeTicket(refused);
    await expectKeyHeld(cache, "job-1", 1);
    expect(await cache.updateEntry(holder, "RUNNING", { step: 2 })).toBe(2);
  });

  it("tickets on different keys of one cache are independent", async () => {
    const cache = await get().cache();
    const first = await cache.openNewTicket("job-1", DURATION_MS);
    const second = await cache.openNewTicket("job-2", DURATION_MS);
    expectGranted(first);
    expectGranted(second);
    expect(await cache.createEntry(first, "QUEUED", { step: 1 })).toBe(1);
    expect(await cache.createEntry(second, "QUEUED", { step: 2 })).toBe(1);
  });
}
