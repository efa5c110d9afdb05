/**
 * Issue 8 item 3: a value's encoded size is checked against `maxValueBytes` before any I/O, so
 * one huge value is a clear EInvalidArgument instead of a server error after retries.
 */
import { describe, expect, it } from "vitest";
import { ECacheConfig, EInvalidArgument } from "../../../src/base/errors.js";
import { DEFAULT_MAX_VALUE_BYTES } from "../../../src/base/validate.js";
import { defaultCodec } from "../../../src/codec/value-codec.js";
import { createJobCacheManager } from "../../../src/manager/create-job-cache-manager.js";

/** A string value whose encoded text is exactly `bytes` long (all ASCII). */
function valueOfEncodedSize(bytes: number): string {
  const overhead = defaultCodec.encode("").length;
  return "a".repeat(bytes - overhead);
}

async function cacheWith(options: { property?: string; option?: number }) {
  const manager = await createJobCacheManager(
    {
      protocol: "LOCAL",
      properties: options.property === undefined ? {} : { maxValueBytes: options.property },
    },
    options.option === undefined ? {} : { maxValueBytes: options.option },
  );
  return { manager, cache: manager.getCache<unknown>("jobs") };
}

describe("maxValueBytes", () => {
  it("defaults to 16 MiB", () => {
    expect(DEFAULT_MAX_VALUE_BYTES).toBe(16 * 1024 * 1024);
  });

  it("accepts a value of exactly the limit and refuses one byte more, naming both sizes", async () => {
    const { manager, cache } = await cacheWith({ option: 1000 });
    const ticket = await cache.openNewTicket("job-1", 60_000);
    await expect(cache.createEntry(ticket, "QUEUED", valueOfEncodedSize(1001))).rejects.toThrow(
      /1001 bytes encoded, over the limit of 1000 bytes \(property maxValueBytes\)/,
    );
    expect(await cache.queryKey("job-1")).toBeUndefined();
    expect(await cache.createEntry(ticket, "QUEUED", valueOfEncodedSize(1000))).toBe(1);
    await manager.close();
  });

  it("counts UTF-8 bytes, not characters", async () => {
    const { manager, cache } = await cacheWith({ option: 1000 });
    const ticket = await cache.openNewTicket("job-1", 60_000);
    // 400 characters of 3 bytes each: 1200 bytes, though the string is 400 long.
    await expect(cache.createEntry(ticket, "QUEUED", "€".repeat(400))).rejects.toBeInstanceOf(
      EInvalidArgument,
    );
    expect(await cache.createEntry(ticket, "QUEUED", "€".repeat(300))).toBe(1);
    await manager.close();
  });

  it("is read from the maxValueBytes property; ManagerOptions overrides it", async () => {
    const fromProperty = await cacheWith({ property: "500" });
    const ticket = await fromProperty.cache.openNewTicket("job-1", 60_000);
    await expect(fromProperty.cache.createEntry(ticket, "QUEUED", valueOfEncodedSize(501))).rejects.toThrow(
      EInvalidArgument,
    );
    await fromProperty.manager.close();

    const overridden = await cacheWith({ property: "500", option: 600 });
    const other = await overridden.cache.openNewTicket("job-1", 60_000);
    expect(await overridden.cache.createEntry(other, "QUEUED", valueOfEncodedSize(600))).toBe(1);
    await overridden.manager.close();
  });

  it("a bad property is ECacheConfig and a bad option EInvalidArgument, at creation", async () => {
    for (const bad of ["0", "-5", "1.5", "16MiB", "1000000001"]) {
      await expect(cacheWith({ property: bad }), bad).rejects.toThrow(ECacheConfig);
    }
    for (const bad of [0, -1, 1.5, Number.NaN, 2e9]) {
      await expect(cacheWith({ option: bad }), String(bad)).rejects.toThrow(EInvalidArgument);
    }
  });
});
