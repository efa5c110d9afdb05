import { expect, it } from "vitest";
import { ECacheOperation, ECacheTicket, EInvalidArgument, MAX_TICKET_DURATION_MS } from "../index.js";
import {
  DURATION_MS,
  expectKeyFree,
  expectKeyHeld,
  expectMissing,
  expectReject,
  expectStored,
  expectSuperseded,
} from "./expectations.js";
import { forgeTicket, heldEntry, seedEntry } from "./fixtures.js";
import type { ContextGetter } from "./suite-context.js";

/**
 * CONTRACT.md "Entries and revisions", check order: arguments, then the ticket, then the status,
 * then the store; and a rejected operation changes nothing.
 */
export function checkOrderCases(get: ContextGetter): void {
  it("argument errors come before ticket errors: bad arguments with a superseded ticket give EInvalidArgument", async () => {
    const cache = await get().cache<unknown>();
    await seedEntry(cache, "job-1");
    const refused = await cache.openNewTicket("job-1", DURATION_MS);
    expectSuperseded(refused);
    await expectReject(cache.updateEntry(refused, "QUEUED", null), EInvalidArgument, "null value");
    await expectReject(cache.createEntry(refused, "QUEUED", undefined), EInvalidArgument, "undefined value");
    await expectReject(
      cache.updateEntry(refused, null as never, { step: 1 }),
      EInvalidArgument,
      "null status",
    );
    await expectReject(cache.renewTicket(refused, 0), EInvalidArgument, "zero duration");
    await expectReject(cache.updateEntry(forgeTicket(refused), "QUEUED", null), EInvalidArgument, "forged");
  });

  it("argument errors come before status errors: a null ticket or value with a bad status gives EInvalidArgument", async () => {
    const cache = await get().cache<unknown>();
    const ticket = await heldEntry(cache, "job-1");
    await expectReject(
      cache.updateEntry(null as never, "_BAD", { step: 1 }),
      EInvalidArgument,
      "null ticket",
    );
    await expectReject(cache.updateEntry(ticket, "_BAD", undefined), EInvalidArgument, "undefined value");
    await expectStored(cache, "job-1", { revision: 1, status: "QUEUED" });
  });

  it("argument errors come before the duration limit: a bad key with a too long duration gives EInvalidArgument", async () => {
    const cache = await get().cache();
    await expectReject(
      cache.openNewTicket("_bad", MAX_TICKET_DURATION_MS + 1),
      EInvalidArgument,
      "openNewTicket",
    );
    await expectReject(
      cache.openTicket("job-1", -1, MAX_TICKET_DURATION_MS + 1),
      EInvalidArgument,
      "openTicket",
    );
  });

  it("ticket errors come before status errors: a bad status with a dead ticket gives ECacheTicket", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    await seedEntry(cache, "job-1");
    const superseded = await cache.openNewTicket("job-1", DURATION_MS);
    const missing = await cache.openTicket("job-2", 1, DURATION_MS);
    const expiring = await cache.openTicket("job-1", 1, DURATION_MS);
    for (const [name, ticket] of [
      ["superseded", superseded],
      ["missing", missing],
      ["forged", forgeTicket(expiring)],
    ] as const) {
      await expectReject(cache.createEntry(ticket, "_RESERVED", { step: 1 }), ECacheTicket, `${name} create`);
      await expectReject(
        cache.updateEntry(ticket, "BAD-STATUS", { step: 1 }),
        ECacheTicket,
        `${name} update`,
      );
    }
    await ctx.advanceTime(DURATION_MS);
    await expectReject(cache.updateEntry(expiring, "trac_X", { step: 1 }), ECacheTicket, "expired update");
    await expectStored(cache, "job-1", { revision: 1, status: "QUEUED" });
  });

  it("ticket errors come before store errors: dead tickets give ECacheTicket, not ECacheDuplicate or ECacheNotFound", async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-1");
    const superseded = await cache.openNewTicket("job-1", DURATION_MS);
    expectSuperseded(superseded);
    await expectReject(
      cache.createEntry(superseded, "QUEUED", { step: 1 }),
      ECacheTicket,
      "create on existing",
    );
    const missing = await cache.openTicket("job-2", 1, DURATION_MS);
    expectMissing(missing);
    await expectReject(cache.readEntry(missing), ECacheTicket, "read of absent entry");
    await expectReject(cache.deleteEntry(missing), ECacheTicket, "delete of absent entry");
  });

  it("status errors come before store errors: ECacheOperation, not ECacheDuplicate or ECacheNotFound", async () => {
    const cache = await get().cache();
    const regular = await heldEntry(cache, "job-1");
    await expectReject(cache.createEntry(regular, "_X", { step: 1 }), ECacheOperation, "create on existing");
    const creator = await cache.openNewTicket("job-2", DURATION_MS);
    await expectReject(
      cache.updateEntry(creator, "1ABC", { step: 1 }),
      ECacheOperation,
      "update before create",
    );
    await expectStored(cache, "job-2", undefined);
  });

  it("a rejected update changes nothing: same revision, status and value, and the next update is previous + 1", async () => {
    const cache = await get().cache<unknown>();
    const ticket = await heldEntry(cache, "job-1");
    await expectReject(cache.updateEntry(ticket, "A-B", { step: 9 }), ECacheOperation);
    await expectReject(cache.updateEntry(ticket, "QUEUED", null), EInvalidArgument);
    await expectStored(cache, "job-1", { revision: 1, status: "QUEUED", value: { step: 1 } });
    expect(await cache.updateEntry(ticket, "RUNNING", { step: 2 })).toBe(2);
  });

  it("a rejected create changes nothing: no entry, and the ticket can still create at revision 1", async () => {
    const cache = await get().cache<unknown>();
    const ticket = await cache.openNewTicket("job-1", DURATION_MS);
    await expectReject(cache.createEntry(ticket, "", { step: 1 }), ECacheOperation);
    await expectReject(cache.createEntry(ticket, "QUEUED", undefined), EInvalidArgument);
    await expectStored(cache, "job-1", undefined);
    expect(await cache.createEntry(ticket, "QUEUED", { step: 1 })).toBe(1);
  });

  it("a rejected delete or read changes nothing and keeps the ticket usable", async () => {
    const cache = await get().cache();
    const ticket = await heldEntry(cache, "job-1");
    await expectReject(cache.deleteEntry(forgeTicket(ticket)), ECacheTicket);
    await expectReject(cache.readEntry(null as never), EInvalidArgument);
    await expectStored(cache, "job-1", { revision: 1, status: "QUEUED" });
    await expectKeyHeld(cache, "job-1", 1);
    expect((await cache.readEntry(ticket)).revision).toBe(1);
  });

  it("a rejected open grants nothing: the key stays free for the next opener", async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-1");
    await expectReject(cache.openTicket("job-1", 1, MAX_TICKET_DURATION_MS + 1), ECacheTicket);
    await expectReject(cache.openTicket("job-1", 1.5, DURATION_MS), EInvalidArgument);
    await expectKeyFree(cache, "job-1", 1);
  });
}
