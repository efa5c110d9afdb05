import { expect, it } from "vitest";
import { DURATION_MS, expectGranted } from "./expectations.js";
import type { ContextGetter } from "./suite-context.js";

/** Stores `value` and returns it as readEntry, queryKey and queryStatus give it back. */
async function roundTrips(get: ContextGetter, value: unknown): Promise<Array<[string, unknown]>> {
  const cache = await get().cache<unknown>("values");
  const ticket = await cache.openNewTicket("value-1", DURATION_MS);
  expectGranted(ticket);
  expect(await cache.createEntry(ticket, "STORED", value)).toBe(1);
  const read = await cache.readEntry(ticket);
  await cache.closeTicket(ticket);
  const queried = await cache.queryKey("value-1");
  const [listed] = await cache.queryStatus(["STORED"]);
  for (const entry of [read, queried, listed]) expect(entry?.cacheOk).toBe(true);
  return [
    ["readEntry", read.value],
    ["queryKey", queried?.value],
    ["queryStatus", listed?.value],
  ];
}

/** Expects every read path to give back something `check` accepts. */
async function expectRoundTrip(
  get: ContextGetter,
  value: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: each case probes the decoded shape it stored.
  check: (back: any) => void,
): Promise<void> {
  for (const [, back] of await roundTrips(get, value)) check(back);
}

/** CONTRACT.md "Values": what the default codec round-trips, through every read path. */
export function valueCases(get: ContextGetter): void {
  it("plain objects and arrays round-trip, nested", async () => {
    const value = {
      name: "job",
      list: [1, "two", [3, { four: 4 }]],
      nested: { deeper: { deepest: [] } },
      empty: {},
    };
    await expectRoundTrip(get, value, (back) => expect(back).toStrictEqual(value));
  });

  it("strings round-trip, including empty, unicode, quotes, SQL and control characters", async () => {
    const value = [
      "",
      "plain",
      "ünïcødé 😀 中文",
      `'"\`\\`,
      "x'; drop table y; --",
      "line\nnext\ttab\u0000nul",
    ];
    await expectRoundTrip(get, value, (back) => expect(back).toStrictEqual(value));
  });

  it("top-level strings, numbers and booleans round-trip, falsy ones too", async () => {
    for (const value of ["", 0, false]) {
      const ctx = get();
      const cache = await ctx.cache<unknown>(`top-${typeof value}`);
      const ticket = await cache.openNewTicket("value-1", DURATION_MS);
      await cache.createEntry(ticket, "STORED", value);
      expect((await cache.readEntry(ticket)).value).toBe(value);
      expect((await cache.queryKey("value-1"))?.value).toBe(value);
    }
  });

  it("finite and special numbers round-trip: NaN, ±Infinity, -0", async () => {
    const value = [
      0,
      -0,
      1.5,
      -42,
      Number.MAX_SAFE_INTEGER,
      Number.MIN_VALUE,
      Number.NaN,
      Infinity,
      -Infinity,
    ];
    await expectRoundTrip(get, value, (back) => {
      expect(back).toHaveLength(value.length);
      for (const [index, number] of value.entries()) {
        expect(Object.is(back[index], number), `index ${index}`).toBe(true);
      }
    });
  });

  it("booleans and null round-trip inside objects", async () => {
    const value = { yes: true, no: false, nothing: null, list: [null, true] };
    await expectRoundTrip(get, value, (back) => expect(back).toStrictEqual(value));
  });

  it("undefined inside objects round-trips as an own property", async () => {
    const value = { kept: 1, gone: undefined, inner: { also: undefined } };
    await expectRoundTrip(get, value, (back) => {
      expect(back).toStrictEqual(value);
      expect(Object.hasOwn(back, "gone")).toBe(true);
      expect(Object.hasOwn(back.inner, "also")).toBe(true);
    });
  });

  it("Uint8Array round-trips as a Uint8Array with the same bytes", async () => {
    const value = { bytes: new Uint8Array([0, 1, 127, 128, 255]) };
    await expectRoundTrip(get, value, (back) => {
      expect(back.bytes).toBeInstanceOf(Uint8Array);
      expect(Array.from(back.bytes as Uint8Array)).toEqual([0, 1, 127, 128, 255]);
    });
  });

  it("Buffer round-trips as a Buffer with the same bytes", async () => {
    const value = { buffer: Buffer.from("jobcache ✓", "utf8") };
    await expectRoundTrip(get, value, (back) => {
      expect(Buffer.isBuffer(back.buffer)).toBe(true);
      expect((back.buffer as Buffer).toString("utf8")).toBe("jobcache ✓");
    });
  });

  it("Date round-trips to the millisecond", async () => {
    const value = { at: new Date(Date.UTC(2026, 4, 17, 8, 30, 15, 123)), epoch: new Date(0) };
    await expectRoundTrip(get, value, (back) => {
      expect(back.at).toBeInstanceOf(Date);
      expect(back.at.getTime()).toBe(value.at.getTime());
      expect(back.epoch.getTime()).toBe(0);
    });
  });

  it("bigint round-trips, beyond the safe integer range and negative", async () => {
    const value = { big: 2n ** 70n + 1n, negative: -(10n ** 30n), zero: 0n };
    await expectRoundTrip(get, value, (back) => {
      expect(typeof back.big).toBe("bigint");
      expect(back).toStrictEqual(value);
    });
  });

  it("Map round-trips with its keys, values and order", async () => {
    const value = new Map<unknown, unknown>([
      ["b", 1],
      ["a", { nested: [1, 2] }],
      [3, new Date(1_000)],
    ]);
    await expectRoundTrip(get, value, (back) => {
      expect(back).toBeInstanceOf(Map);
      expect([...back.keys()]).toEqual(["b", "a", 3]);
      expect(back).toStrictEqual(value);
    });
  });

  it("Set round-trips with its members and order", async () => {
    const value = { set: new Set<unknown>(["z", 1, "a", 2n]) };
    await expectRoundTrip(get, value, (back) => {
      expect(back.set).toBeInstanceOf(Set);
      expect([...back.set]).toEqual(["z", 1, "a", 2n]);
    });
  });

  it("Error round-trips with name, message, stack and cause", async () => {
    const cause = new RangeError("too far");
    const error = new Error("step failed", { cause });
    error.name = "StepError";
    await expectRoundTrip(get, { error }, (back) => {
      expect(back.error).toBeInstanceOf(Error);
      expect(back.error.name).toBe("StepError");
      expect(back.error.message).toBe("step failed");
      expect(back.error.stack).toBe(error.stack);
      expect(back.error.cause).toBeInstanceOf(Error);
      expect(back.error.cause.name).toBe("RangeError");
      expect(back.error.cause.message).toBe("too far");
      expect(back.error.cause.stack).toBe(cause.stack);
    });
  });

  it("all of these together in one nested value round-trip", async () => {
    const value = {
      job: {
        id: "job-1",
        attempts: [1, 2],
        retry: undefined,
        weight: Number.NaN,
        offset: -0,
        limit: Infinity,
      },
      data: { buffer: Buffer.from([9, 8, 7]), bytes: new Uint8Array([1, 2, 3]) },
      when: new Date(Date.UTC(2026, 0, 1)),
      size: 12345678901234567890n,
      index: new Map([["k", new Set([1, 2])]]),
      failure: new TypeError("bad", { cause: new Error("root") }),
    };
    await expectRoundTrip(get, value, (back) => {
      expect(Object.hasOwn(back.job, "retry")).toBe(true);
      expect(back.job.retry).toBeUndefined();
      expect(Number.isNaN(back.job.weight)).toBe(true);
      expect(Object.is(back.job.offset, -0)).toBe(true);
      expect(back.job.limit).toBe(Infinity);
      expect(back.job.attempts).toEqual([1, 2]);
      expect(Buffer.isBuffer(back.data.buffer)).toBe(true);
      expect(Array.from(back.data.buffer as Buffer)).toEqual([9, 8, 7]);
      expect(Array.from(back.data.bytes as Uint8Array)).toEqual([1, 2, 3]);
      expect(back.when.getTime()).toBe(value.when.getTime());
      expect(back.size).toBe(12345678901234567890n);
      expect(back.index.get("k")).toStrictEqual(new Set([1, 2]));
      expect(back.failure).toBeInstanceOf(Error);
      expect(back.failure.name).toBe("TypeError");
      expect(back.failure.message).toBe("bad");
      expect(back.failure.cause.message).toBe("root");
    });
  });
}
