import { expect, it } from "vitest";
import {
  ECache,
  ECacheCorruption,
  ECacheDuplicate,
  ECacheNotFound,
  ECacheOperation,
  ECacheTicket,
  EInvalidArgument,
} from "../index.js";
import { DURATION_MS, expectReject } from "./expectations.js";
import { heldEntry, heldNewEntry, seedEntry } from "./fixtures.js";
import { schemaCodec } from "./rejecting-codecs.js";
import { CACHE_NAME, type ContextGetter, type JobValue } from "./suite-context.js";

/** The key and cache an error must name, in its fields and its message. */
function expectNames(error: ECache, key: string, cacheName: string): void {
  expect(error).toBeInstanceOf(ECache);
  expect(error).toBeInstanceOf(Error);
  expect(error.key).toBe(key);
  expect(error.cacheName).toBe(cacheName);
  expect(error.message).toContain(key);
  expect(error.message).toContain(cacheName);
}

/** CONTRACT.md "Names exported": errors carry a clear message naming the key and the cache. */
export function errorCases(get: ContextGetter): void {
  it("ECacheTicket names the key and the cache", async () => {
    const cache = await get().cache();
    await seedEntry(cache, "job-41");
    const refused = await cache.openNewTicket("job-41", DURATION_MS);
    expectNames(await expectReject(cache.readEntry(refused), ECacheTicket), "job-41", CACHE_NAME);
  });

  it("ECacheNotFound names the key and the cache", async () => {
    const cache = await get().cache();
    const ticket = await cache.openNewTicket("job-42", DURATION_MS);
    expectNames(await expectReject(cache.readEntry(ticket), ECacheNotFound), "job-42", CACHE_NAME);
  });

  it("ECacheDuplicate names the key and the cache", async () => {
    const cache = await get().cache();
    const ticket = await heldNewEntry(cache, "job-43");
    const error = await expectReject(cache.createEntry(ticket, "QUEUED", { step: 2 }), ECacheDuplicate);
    expectNames(error, "job-43", CACHE_NAME);
  });

  it("ECacheOperation names the key and the cache", async () => {
    const cache = await get().cache();
    const ticket = await heldEntry(cache, "job-44");
    const error = await expectReject(cache.updateEntry(ticket, "_RESERVED", { step: 2 }), ECacheOperation);
    expectNames(error, "job-44", CACHE_NAME);
  });

  it("ECacheCorruption names the key and the cache, from queries and from readEntry", async () => {
    const ctx = get();
    await seedEntry(await ctx.cache<JobValue>(), "job-45", { value: { step: "old" } as unknown as JobValue });
    const checked = (await ctx.manager()).getCache(CACHE_NAME, { codec: schemaCodec() });
    const entry = await checked.queryKey("job-45");
    expect(entry?.cacheError).toBeInstanceOf(ECacheCorruption);
    if (entry?.cacheError !== undefined) expectNames(entry.cacheError, "job-45", CACHE_NAME);
    const ticket = await checked.openTicket("job-45", 1, DURATION_MS);
    expectNames(await expectReject(checked.readEntry(ticket), ECacheCorruption), "job-45", CACHE_NAME);
  });

  it("EInvalidArgument is a TypeError with a message, not an ECache", async () => {
    const cache = await get().cache();
    const error = await expectReject(cache.openNewTicket("job-46", -5), EInvalidArgument);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).not.toBeInstanceOf(ECache);
    expect(error.message.length).toBeGreaterThan(0);
  });
}
