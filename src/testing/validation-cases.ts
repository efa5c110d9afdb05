import { expect, it } from "vitest";
import { ECacheOperation, ECacheTicket, EInvalidArgument, MAX_TICKET_DURATION_MS } from "../index.js";
import {
  BAD_DURATIONS,
  BAD_KEYS,
  BAD_LIMITS,
  BAD_REVISIONS,
  BAD_STATUSES,
  GOOD_EDGE_KEYS,
  GOOD_EDGE_STATUSES,
  MAX_REVISION,
  MAX_STATUSES,
  TOO_LONG_DURATIONS,
} from "./bad-inputs.js";
import { DURATION_MS, expectGranted, expectKeyFree, expectReject, expectStored } from "./expectations.js";
import { heldEntry, heldNewEntry, seedEntry } from "./fixtures.js";
import type { ContextGetter } from "./suite-context.js";

const show = (input: unknown): string => (typeof input === "string" ? JSON.stringify(input) : String(input));

/** CONTRACT.md "Validation": every row of the table, several bad inputs each, and the accepted edges. */
export function validationCases(get: ContextGetter): void {
  it("keys that break the key rule are rejected with EInvalidArgument by every key operation", async () => {
    const cache = await get().cache();
    for (const bad of BAD_KEYS) {
      const key = bad as string;
      await expectReject(
        cache.openNewTicket(key, DURATION_MS),
        EInvalidArgument,
        `openNewTicket ${show(bad)}`,
      );
      await expectReject(cache.openTicket(key, 1, DURATION_MS), EInvalidArgument, `openTicket ${show(bad)}`);
      await expectReject(cache.queryKey(key), EInvalidArgument, `queryKey ${show(bad)}`);
    }
  });

  it("keys at the edges of the rule are accepted: 256 chars, digits, `trac` without separator", async () => {
    const cache = await get().cache();
    for (const key of GOOD_EDGE_KEYS) {
      const ticket = await cache.openNewTicket(key, DURATION_MS);
      expectGranted(ticket);
      expect(await cache.createEntry(ticket, "QUEUED", { step: 1 }), key).toBe(1);
      expect((await cache.queryKey(key))?.key, key).toBe(key);
    }
  });

  it("a key like `x'; drop table y; --` never reaches the store, which is left intact", async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-1");
    await expectReject(cache.openNewTicket("y'; drop table y; --", DURATION_MS), EInvalidArgument);
    await expectReject(cache.queryKey("job-1' OR '1'='1"), EInvalidArgument);
    await expectStored(cache, "job-1", { revision: 1, status: "QUEUED" });
    expect((await cache.queryStatus(["QUEUED"])).map((entry) => entry.key)).toEqual(["job-1"]);
  });

  it("cache names follow the key rule: getCache rejects bad ones with EInvalidArgument", async () => {
    const manager = await get().manager();
    for (const bad of BAD_KEYS) {
      expect(() => manager.getCache(bad as string), `getCache ${show(bad)}`).toThrow(EInvalidArgument);
    }
    for (const good of GOOD_EDGE_KEYS) expect(manager.getCache(good), good).toBeDefined();
  });

  it("revisions that are not integers >= 0 are rejected with EInvalidArgument", async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-1");
    for (const bad of BAD_REVISIONS) {
      await expectReject(cache.openTicket("job-1", bad as number, DURATION_MS), EInvalidArgument, show(bad));
    }
    await expectKeyFree(cache, "job-1", 1);
  });

  it("a revision of 2^31 - 1, the largest, is accepted and answers missing, as any absent revision", async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-1");
    const ticket = await cache.openTicket("job-1", MAX_REVISION, DURATION_MS);
    expect(ticket.missing).toBe(true);
    expect((await cache.openTicket("no-such-job", MAX_REVISION, DURATION_MS)).missing).toBe(true);
    await expectKeyFree(cache, "job-1", 1);
  });

  it("durations that are not finite numbers > 0 are rejected with EInvalidArgument and grant nothing", async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-1");
    for (const bad of BAD_DURATIONS) {
      const ms = bad as number;
      await expectReject(cache.openNewTicket("job-2", ms), EInvalidArgument, `openNewTicket ${show(bad)}`);
      await expectReject(cache.openTicket("job-1", 1, ms), EInvalidArgument, `openTicket ${show(bad)}`);
    }
    await expectKeyFree(cache, "job-2");
    await expectKeyFree(cache, "job-1", 1);
  });

  it("durations above MAX_TICKET_DURATION_MS are rejected with ECacheTicket and grant nothing", async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-1");
    for (const ms of TOO_LONG_DURATIONS) {
      await expectReject(cache.openNewTicket("job-2", ms), ECacheTicket, `openNewTicket ${ms}`);
      await expectReject(cache.openTicket("job-1", 1, ms), ECacheTicket, `openTicket ${ms}`);
    }
    await expectKeyFree(cache, "job-2");
    await expectKeyFree(cache, "job-1", 1);
  });

  it("a duration of exactly MAX_TICKET_DURATION_MS (5 minutes) is accepted", async () => {
    expect(MAX_TICKET_DURATION_MS).toBe(300_000);
    const cache = await get().cache();
    const ticket = await cache.openNewTicket("job-1", MAX_TICKET_DURATION_MS);
    expectGranted(ticket);
    expect(ticket.expiry.getTime() - ticket.grantTime.getTime()).toBe(MAX_TICKET_DURATION_MS);
  });

  it("statuses that break the status rule are rejected with ECacheOperation by createEntry and updateEntry", async () => {
    const cache = await get().cache();
    const creator = await cache.openNewTicket("job-1", DURATION_MS);
    const updater = await heldEntry(cache, "job-2");
    for (const bad of BAD_STATUSES) {
      await expectReject(
        cache.createEntry(creator, bad, { step: 1 }),
        ECacheOperation,
        `createEntry ${show(bad)}`,
      );
      await expectReject(
        cache.updateEntry(updater, bad, { step: 2 }),
        ECacheOperation,
        `updateEntry ${show(bad)}`,
      );
    }
    await expectStored(cache, "job-1", undefined);
    await expectStored(cache, "job-2", { revision: 1, status: "QUEUED" });
  });

  it("statuses at the edges of the rule are accepted: `A`, 256 chars, `TRAC` without separator", async () => {
    const cache = await get().cache();
    const ticket = await heldNewEntry(cache, "job-1", "A");
    let revision = 1;
    for (const status of GOOD_EDGE_STATUSES) {
      revision += 1;
      expect(await cache.updateEntry(ticket, status, { step: revision }), status).toBe(revision);
      expect((await cache.queryKey("job-1"))?.status, status).toBe(status);
    }
  });

  it("a null or undefined status is rejected with EInvalidArgument", async () => {
    const cache = await get().cache();
    const creator = await cache.openNewTicket("job-1", DURATION_MS);
    const updater = await heldEntry(cache, "job-2");
    for (const bad of [null, undefined]) {
      const status = bad as unknown as string;
      await expectReject(
        cache.createEntry(creator, status, { step: 1 }),
        EInvalidArgument,
        `createEntry ${bad}`,
      );
      await expectReject(
        cache.updateEntry(updater, status, { step: 1 }),
        EInvalidArgument,
        `updateEntry ${bad}`,
      );
    }
    await expectStored(cache, "job-1", undefined);
    await expectStored(cache, "job-2", { revision: 1, status: "QUEUED" });
  });

  it("a null or undefined value is rejected with EInvalidArgument", async () => {
    const cache = await get().cache<unknown>();
    const creator = await cache.openNewTicket("job-1", DURATION_MS);
    const updater = await heldEntry(cache, "job-2");
    for (const value of [null, undefined]) {
      await expectReject(
        cache.createEntry(creator, "QUEUED", value),
        EInvalidArgument,
        `createEntry ${value}`,
      );
      await expectReject(
        cache.updateEntry(updater, "QUEUED", value),
        EInvalidArgument,
        `updateEntry ${value}`,
      );
    }
    await expectStored(cache, "job-1", undefined);
    await expectStored(cache, "job-2", { revision: 1, status: "QUEUED" });
  });

  it("a null or undefined ticket is rejected with EInvalidArgument by every ticket operation", async () => {
    const cache = await get().cache();
    for (const bad of [null, undefined]) {
      const ticket = bad as never;
      await expectReject(cache.renewTicket(ticket, DURATION_MS), EInvalidArgument, `renewTicket ${bad}`);
      await expectReject(
        cache.createEntry(ticket, "QUEUED", { step: 1 }),
        EInvalidArgument,
        `createEntry ${bad}`,
      );
      await expectReject(
        cache.updateEntry(ticket, "QUEUED", { step: 1 }),
        EInvalidArgument,
        `updateEntry ${bad}`,
      );
      await expectReject(cache.readEntry(ticket), EInvalidArgument, `readEntry ${bad}`);
      await expectReject(cache.deleteEntry(ticket), EInvalidArgument, `deleteEntry ${bad}`);
      await expectReject(cache.closeTicket(ticket), EInvalidArgument, `closeTicket ${bad}`);
    }
  });

  it("queryStatus rejects a statuses argument that is not an array with EInvalidArgument", async () => {
    const cache = await get().cache();
    for (const bad of [null, undefined, "QUEUED", 42, { 0: "QUEUED", length: 1 }]) {
      await expectReject(cache.queryStatus(bad as never), EInvalidArgument, show(bad));
    }
  });

  it("queryStatus rejects a bad status in the list with ECacheOperation, a null one with EInvalidArgument", async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-1");
    for (const bad of BAD_STATUSES) {
      await expectReject(cache.queryStatus(["QUEUED", bad]), ECacheOperation, show(bad));
    }
    await expectReject(cache.queryStatus(["QUEUED", null as never]), EInvalidArgument, "null");
  });

  it(`queryStatus takes up to ${MAX_STATUSES} statuses and rejects longer lists with EInvalidArgument up front`, async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-1");
    const statuses = (count: number) => ["QUEUED", ...Array.from({ length: count - 1 }, (_, i) => `S${i}`)];
    const found = await cache.queryStatus(statuses(MAX_STATUSES), { includeOpenTickets: true });
    expect(found.map((entry) => entry.key)).toEqual(["job-1"]);
    for (const count of [MAX_STATUSES + 1, 40_000, 70_000]) {
      const error = await expectReject(cache.queryStatus(statuses(count)), EInvalidArgument, `${count}`);
      expect(error.message).toContain(String(MAX_STATUSES));
    }
  });

  it("a value whose encoded size is over maxValueBytes (default 16 MiB) is EInvalidArgument and writes nothing", async () => {
    const cache = await get().cache<unknown>();
    const creator = await cache.openNewTicket("job-1", DURATION_MS);
    const updater = await heldEntry(cache, "job-2");
    const big = { blob: "x".repeat(17 * 1024 * 1024) };
    const error = await expectReject(
      cache.createEntry(creator, "QUEUED", big),
      EInvalidArgument,
      "createEntry",
    );
    expect(error.message).toMatch(/maxValueBytes/);
    await expectReject(cache.updateEntry(updater, "RUNNING", big), EInvalidArgument, "updateEntry");
    await expectStored(cache, "job-1", undefined);
    await expectStored(cache, "job-2", { revision: 1, status: "QUEUED" });
    expect(await cache.createEntry(creator, "QUEUED", { step: 1 })).toBe(1);
  });

  it("queryStatus rejects a limit that is not an integer from 0 to 2^31 - 1 with EInvalidArgument", async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-1");
    for (const bad of BAD_LIMITS) {
      await expectReject(
        cache.queryStatus(["QUEUED"], { limit: bad as number }),
        EInvalidArgument,
        show(bad),
      );
    }
  });
}
