import { expect, it } from "vitest";
import { type CacheEntry, ECacheCorruption, type JobCache } from "../index.js";
import { DURATION_MS, expectGranted, expectReject, expectStored } from "./expectations.js";
import { seedEntry } from "./fixtures.js";
import { asyncSchemaCodec, schemaCodec, unreadableCodec } from "./rejecting-codecs.js";
import { CACHE_NAME, type ContextGetter, type JobValue, type SuiteContext } from "./suite-context.js";

/** An old-shape value: `step` was a string in "the previous version of the code". */
const OLD_VALUE = { step: "one" } as unknown as JobValue;

/** The default cache with `job-old` holding an old-shape value, and the same cache read with a schema. */
async function corruptSetup(
  ctx: SuiteContext,
): Promise<{ plain: JobCache<JobValue>; checked: JobCache<JobValue> }> {
  const plain = await ctx.cache<JobValue>();
  await seedEntry(plain, "job-old", { status: "QUEUED", value: OLD_VALUE });
  const checked = (await ctx.manager()).getCache(CACHE_NAME, { codec: schemaCodec() });
  return { plain, checked };
}

function expectCorrupt(entry: CacheEntry<unknown> | undefined, key: string): void {
  expect(entry).toBeDefined();
  expect(entry?.key).toBe(key);
  expect(entry?.cacheOk).toBe(false);
  expect(entry?.cacheError).toBeInstanceOf(ECacheCorruption);
  let thrown: unknown;
  try {
    void entry?.value;
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBe(entry?.cacheError);
}

/** CONTRACT.md "Queries" (undecodable entries) and "Values" (schemas): corruption is per entry. */
export function corruptionCases(get: ContextGetter): void {
  it("queryKey returns an undecodable entry with cacheOk false; reading .value throws its cacheError", async () => {
    const { checked } = await corruptSetup(get());
    const entry = await checked.queryKey("job-old");
    expectCorrupt(entry, "job-old");
    expect(entry?.revision).toBe(1);
    expect(entry?.status).toBe("QUEUED");
  });

  it("queryStatus does not fail for an undecodable entry: it comes back among the good ones", async () => {
    const { plain, checked } = await corruptSetup(get());
    await seedEntry(plain, "job-new", { status: "QUEUED", value: { step: 2 } });
    const entries = await checked.queryStatus(["QUEUED"]);
    expect(entries.map((entry) => entry.key)).toEqual(["job-old", "job-new"]);
    expectCorrupt(entries[0], "job-old");
    expect(entries[1]?.cacheOk).toBe(true);
    expect(entries[1]?.value).toEqual({ step: 2 });
  });

  it("readEntry of an undecodable entry throws ECacheCorruption", async () => {
    const { checked } = await corruptSetup(get());
    const ticket = await checked.openTicket("job-old", 1, DURATION_MS);
    expectGranted(ticket);
    await expectReject(checked.readEntry(ticket), ECacheCorruption);
  });

  it("an undecodable entry can still be updated with a valid value under a ticket", async () => {
    const { checked } = await corruptSetup(get());
    const ticket = await checked.openTicket("job-old", 1, DURATION_MS);
    expect(await checked.updateEntry(ticket, "QUEUED", { step: 1 })).toBe(2);
    const entry = await checked.readEntry(ticket);
    expect(entry.cacheOk).toBe(true);
    expect(entry.value).toEqual({ step: 1 });
    expect((await checked.queryKey("job-old"))?.cacheOk).toBe(true);
  });

  it("an undecodable entry can still be deleted under a ticket", async () => {
    const { checked } = await corruptSetup(get());
    const ticket = await checked.openTicket("job-old", 1, DURATION_MS);
    await checked.deleteEntry(ticket);
    await expectStored(checked, "job-old", undefined);
  });

  it("values that pass the schema read normally through the schema-checked cache", async () => {
    const ctx = get();
    const checked = (await ctx.manager()).getCache(CACHE_NAME, { codec: schemaCodec() });
    await seedEntry(checked, "job-1", { value: { step: 4 } });
    const entry = await checked.queryKey("job-1");
    expect(entry?.cacheOk).toBe(true);
    expect(entry?.value).toEqual({ step: 4 });
  });

  it("an asynchronous schema that rejects a value also yields ECacheCorruption", async () => {
    const ctx = get();
    const { plain } = await corruptSetup(ctx);
    await seedEntry(plain, "job-new", { value: { step: 2 } });
    const checked = (await ctx.manager()).getCache(CACHE_NAME, { codec: asyncSchemaCodec() });
    expectCorrupt(await checked.queryKey("job-old"), "job-old");
    expect((await checked.queryKey("job-new"))?.value).toEqual({ step: 2 });
    const ticket = await checked.openTicket("job-old", 1, DURATION_MS);
    await expectReject(checked.readEntry(ticket), ECacheCorruption);
  });

  it("a codec whose decode throws makes entries corrupt (ECacheCorruption), never failing the query", async () => {
    const ctx = get();
    const plain = await ctx.cache<JobValue>();
    await seedEntry(plain, "job-1", { value: { step: 1 } });
    const broken = (await ctx.manager()).getCache(CACHE_NAME, { codec: unreadableCodec() });
    expectCorrupt(await broken.queryKey("job-1"), "job-1");
    const [listed] = await broken.queryStatus(["QUEUED"]);
    expectCorrupt(listed, "job-1");
    const ticket = await broken.openTicket("job-1", 1, DURATION_MS);
    await expectReject(broken.readEntry(ticket), ECacheCorruption);
  });
}
