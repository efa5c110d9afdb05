import { expect, it } from "vitest";
import {
  ECacheOperation,
  ECacheTicket,
  ECacheUnavailable,
  EInvalidArgument,
  type JobCache,
  MAX_TICKET_DURATION_MS,
} from "../index.js";
import {
  DURATION_MS,
  type ErrorClass,
  expectGranted,
  expectKeyFree,
  expectKeyHeld,
  expectReject,
  expectStored,
  expectSuperseded,
} from "./expectations.js";
import { seedEntry } from "./fixtures.js";
import { schemaCodec } from "./rejecting-codecs.js";
import { CACHE_NAME, type ContextGetter, type JobValue } from "./suite-context.js";

/** Seeds `keys` in order with `status` (creation order = the order given). */
async function seedAll(cache: JobCache<JobValue>, keys: readonly string[], status = "QUEUED"): Promise<void> {
  for (const [n, key] of keys.entries()) await seedEntry(cache, key, { status, value: { step: n } });
}

/** CONTRACT.md "Fast path": claimStatus polls and grants in one atomic step. */
export function claimCases(get: ContextGetter): void {
  it("claims the oldest entry of the statuses by default, with a live ticket at its revision", async () => {
    const cache = await get().cache();
    await seedAll(cache, ["job-1", "job-2"]);
    await seedEntry(cache, "job-0", { status: "DONE" });
    const claimed = await cache.claimStatus(["QUEUED"], DURATION_MS);
    expect(claimed.map(({ entry }) => entry.key)).toEqual(["job-1"]);
    const [{ ticket, entry }] = claimed as [(typeof claimed)[number]];
    expectGranted(ticket);
    expect({ key: ticket.key, revision: ticket.revision }).toEqual({ key: "job-1", revision: 1 });
    expect({ revision: entry.revision, status: entry.status, value: entry.value }).toEqual({
      revision: 1,
      status: "QUEUED",
      value: { step: 0 },
    });
    expect(ticket.expiry.getTime()).toBeGreaterThan(ticket.grantTime.getTime());
    await expectKeyHeld(cache, "job-1", 1);
  });

  it("claims up to `limit` entries in creation order, across the listed statuses", async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-a", { status: "QUEUED" });
    await seedEntry(cache, "job-b", { status: "DONE" });
    await seedEntry(cache, "job-c", { status: "RETRY" });
    await seedEntry(cache, "job-d", { status: "QUEUED" });
    const claimed = await cache.claimStatus(["QUEUED", "RETRY"], DURATION_MS, { limit: 2 });
    expect(claimed.map(({ entry }) => entry.key)).toEqual(["job-a", "job-c"]);
    const rest = await cache.claimStatus(["QUEUED", "RETRY"], DURATION_MS, { limit: 10 });
    expect(rest.map(({ entry }) => entry.key)).toEqual(["job-d"]);
    expect(await cache.claimStatus(["QUEUED", "RETRY"], DURATION_MS, { limit: 10 })).toEqual([]);
  });

  it("never returns a key a live ticket holds, whichever call granted it", async () => {
    const cache = await get().cache();
    await seedAll(cache, ["job-1", "job-2", "job-3"]);
    const held = await cache.openTicket("job-1", 1, DURATION_MS);
    expectGranted(held);
    const first = await cache.claimStatus(["QUEUED"], DURATION_MS);
    expect(first.map(({ entry }) => entry.key)).toEqual(["job-2"]);
    const second = await cache.claimStatus(["QUEUED"], DURATION_MS, { limit: 5 });
    expect(second.map(({ entry }) => entry.key)).toEqual(["job-3"]);
  });

  it("a claimed ticket works as openTicket's: read, update, renew, close; others are superseded meanwhile", async () => {
    const cache = await get().cache();
    await seedAll(cache, ["job-1"]);
    const [claimed] = await cache.claimStatus(["QUEUED"], DURATION_MS);
    const ticket = claimed!.ticket;
    expectSuperseded(await cache.openTicket("job-1", 1, DURATION_MS));
    expect((await cache.readEntry(ticket)).value).toEqual({ step: 0 });
    expect(await cache.updateEntry(ticket, "RUNNING", { step: 5 })).toBe(2);
    const renewed = await cache.renewTicket(ticket, DURATION_MS);
    expect(await cache.updateEntry(renewed, "DONE", { step: 6 })).toBe(3);
    await cache.closeTicket(renewed);
    await expectKeyFree(cache, "job-1", 3);
    await expectStored(cache, "job-1", { revision: 3, status: "DONE", value: { step: 6 } });
  });

  it("a claimed ticket may not create (it is no openNewTicket) and can delete", async () => {
    const cache = await get().cache();
    await seedAll(cache, ["job-1"]);
    const [claimed] = await cache.claimStatus(["QUEUED"], DURATION_MS);
    await cache.deleteEntry(claimed!.ticket);
    await expectReject(cache.createEntry(claimed!.ticket, "QUEUED", { step: 1 }), ECacheTicket);
    await expectStored(cache, "job-1", undefined);
  });

  it("expired tickets count as free: their keys are claimed again, and the old holder is fenced out", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    await seedAll(cache, ["job-1", "job-2"]);
    const [stale] = await cache.claimStatus(["QUEUED"], DURATION_MS);
    const held = await cache.openTicket("job-2", 1, DURATION_MS);
    expectGranted(held);
    await ctx.advanceTime(DURATION_MS + 1);
    const again = await cache.claimStatus(["QUEUED"], DURATION_MS, { limit: 5 });
    expect(again.map(({ entry }) => entry.key)).toEqual(["job-1", "job-2"]);
    await expectReject(cache.updateEntry(stale!.ticket, "RUNNING", { step: 9 }), ECacheTicket);
    await expectReject(cache.updateEntry(held, "RUNNING", { step: 9 }), ECacheTicket);
    expect(await cache.updateEntry(again[0]!.ticket, "RUNNING", { step: 2 })).toBe(2);
  });

  it("a closed ticket frees its key for the next claim at once", async () => {
    const cache = await get().cache();
    await seedAll(cache, ["job-1"]);
    const [first] = await cache.claimStatus(["QUEUED"], DURATION_MS);
    expect(await cache.claimStatus(["QUEUED"], DURATION_MS)).toEqual([]);
    await cache.closeTicket(first!.ticket);
    const [next] = await cache.claimStatus(["QUEUED"], DURATION_MS);
    expect(next?.entry.key).toBe("job-1");
    expectGranted(next!.ticket);
  });

  it("claims the entry at its current revision after updates", async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-1", { revision: 3 });
    const [claimed] = await cache.claimStatus(["QUEUED"], DURATION_MS);
    expect({ ticket: claimed?.ticket.revision, entry: claimed?.entry.revision }).toEqual({
      ticket: 3,
      entry: 3,
    });
    expect(await cache.updateEntry(claimed!.ticket, "QUEUED", { step: 2 })).toBe(4);
  });

  it("two concurrent claimers get disjoint keys", async () => {
    const ctx = get();
    const cache = await ctx.cache();
    const other = ctx.sharesAcrossManagers ? (await ctx.newManager()).getCache<JobValue>(CACHE_NAME) : cache;
    const keys = Array.from({ length: 12 }, (_, n) => `job-${n}`);
    await seedAll(cache, keys);
    const rounds = await Promise.all([
      cache.claimStatus(["QUEUED"], DURATION_MS, { limit: 4 }),
      other.claimStatus(["QUEUED"], DURATION_MS, { limit: 4 }),
      cache.claimStatus(["QUEUED"], DURATION_MS, { limit: 4 }),
      other.claimStatus(["QUEUED"], DURATION_MS, { limit: 4 }),
    ]);
    const claimed = rounds.flat().map(({ entry }) => entry.key);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.length).toBeGreaterThan(0);
    for (const key of claimed) expect(keys).toContain(key);
  });

  it("an undecodable entry is claimed with cacheOk false, its ticket usable to repair it", async () => {
    const ctx = get();
    const plain = await ctx.cache();
    await seedEntry(plain, "job-old", { value: { step: "one" } as unknown as JobValue });
    const checked = (await ctx.manager()).getCache(CACHE_NAME, { codec: schemaCodec() });
    const [claimed] = await checked.claimStatus(["QUEUED"], DURATION_MS);
    expect(claimed?.entry.cacheOk).toBe(false);
    expect(() => claimed?.entry.value).toThrow(claimed?.entry.cacheError);
    expect(await checked.updateEntry(claimed!.ticket, "QUEUED", { step: 1 })).toBe(2);
  });

  it("an empty status list or limit 0 claims nothing", async () => {
    const cache = await get().cache();
    await seedAll(cache, ["job-1"]);
    expect(await cache.claimStatus([], DURATION_MS)).toEqual([]);
    expect(await cache.claimStatus(["QUEUED"], DURATION_MS, { limit: 0 })).toEqual([]);
    await expectKeyFree(cache, "job-1", 1);
  });

  it("validates as queryStatus plus durationMs, and claims nothing when refused", async () => {
    const cache = await get().cache();
    await seedAll(cache, ["job-1"]);
    const bad: Array<readonly [Promise<unknown>, ErrorClass<Error>]> = [
      [cache.claimStatus(["QUEUED"], 0), EInvalidArgument],
      [cache.claimStatus(["QUEUED"], Number.NaN), EInvalidArgument],
      [cache.claimStatus(["QUEUED"], MAX_TICKET_DURATION_MS + 1), ECacheTicket],
      [cache.claimStatus(["QUEUED"], DURATION_MS, { limit: 1001 }), EInvalidArgument],
      [cache.claimStatus(["QUEUED"], DURATION_MS, { limit: 1.5 }), EInvalidArgument],
      [cache.claimStatus(["QUEUED"], DURATION_MS, { limit: -1 }), EInvalidArgument],
      [cache.claimStatus("QUEUED" as unknown as string[], DURATION_MS), EInvalidArgument],
      [cache.claimStatus(["bad status"], DURATION_MS), ECacheOperation],
      [cache.claimStatus([null as unknown as string], DURATION_MS), EInvalidArgument],
      [cache.claimStatus(["QUEUED"], DURATION_MS, null as unknown as object), EInvalidArgument],
    ];
    for (const [claim, errorClass] of bad) await expectReject(claim, errorClass);
    await expectKeyFree(cache, "job-1", 1);
  });

  it("claims at most 1000 entries in one call", async () => {
    const cache = await get().cache();
    await seedAll(cache, ["job-1", "job-2"]);
    const claimed = await cache.claimStatus(["QUEUED"], DURATION_MS, { limit: 1000 });
    expect(claimed).toHaveLength(2);
  });

  it("another cache's entries and tickets are never claimed", async () => {
    const ctx = get();
    const jobs = await ctx.cache();
    const other = await ctx.cache("other");
    await seedAll(other, ["job-1"]);
    expect(await jobs.claimStatus(["QUEUED"], DURATION_MS)).toEqual([]);
    await seedAll(jobs, ["job-1"]);
    const held = await other.openTicket("job-1", 1, DURATION_MS);
    expectGranted(held);
    const [claimed] = await jobs.claimStatus(["QUEUED"], DURATION_MS);
    expect(claimed?.entry.key).toBe("job-1");
  });

  it("a claim under a closed manager fails with ECacheUnavailable", async () => {
    const ctx = get();
    const manager = await ctx.manager();
    const cache = manager.getCache<JobValue>(CACHE_NAME);
    await seedAll(cache, ["job-1"]);
    await manager.close();
    await expectReject(cache.claimStatus(["QUEUED"], DURATION_MS), ECacheUnavailable);
  });

  it("a claim racing an openTicket on the same key gives it to exactly one", async () => {
    const cache = await get().cache();
    await seedAll(cache, ["job-1"]);
    const [claimed, opened] = await Promise.all([
      cache.claimStatus(["QUEUED"], DURATION_MS),
      cache.openTicket("job-1", 1, DURATION_MS),
    ]);
    const winners = claimed.length + (opened.superseded ? 0 : 1);
    expect(winners).toBe(1);
  });
}
