import { describe, expect, it } from "vitest";
import { roundTrip } from "./round-trip.js";

describe("default codec round-trips", () => {
  it.each([
    ["a string", "héllo \u{1F600} \ud800 lone surrogate"],
    ["an empty string", ""],
    ["an integer", 42],
    ["a fraction", 0.1 + 0.2],
    ["the largest double", Number.MAX_VALUE],
    ["the smallest double", Number.MIN_VALUE],
    ["true", true],
    ["false", false],
    ["null", null],
    ["an empty object", {}],
    ["an empty array", []],
  ])("%s", (_, value) => {
    expect(roundTrip(value)).toStrictEqual(value);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])("special number %s", (value) => {
    expect(roundTrip(value)).toBe(value);
  });

  it("-0 as -0, not 0", () => {
    expect(Object.is(roundTrip(-0), -0)).toBe(true);
    expect(Object.is(roundTrip(0), 0)).toBe(true);
  });

  it("undefined inside objects as a present key, and inside arrays", () => {
    const decoded = roundTrip({ a: undefined, b: [undefined, 1] });
    expect(Object.hasOwn(decoded, "a")).toBe(true);
    expect(decoded).toStrictEqual({ a: undefined, b: [undefined, 1] });
  });

  it("sparse arrays with their holes", () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is what is tested
    const decoded = roundTrip([1, , 3]);
    expect(1 in decoded).toBe(false);
    expect(decoded).toHaveLength(3);
    // biome-ignore lint/suspicious/noSparseArray: the hole is what is tested
    expect(decoded).toStrictEqual([1, , 3]);
  });

  it("bigint, also beyond 2^64 and negative", () => {
    for (const value of [0n, -1n, 2n ** 100n, -(2n ** 70n)]) expect(roundTrip(value)).toBe(value);
  });

  it("Date, invalid Date and extreme dates", () => {
    for (const value of [new Date(0), new Date(1_700_000_000_123), new Date(8.64e15), new Date(-8.64e15)]) {
      const decoded = roundTrip(value);
      expect(decoded).toBeInstanceOf(Date);
      expect(decoded.getTime()).toBe(value.getTime());
    }
    const invalid = roundTrip(new Date(Number.NaN));
    expect(invalid).toBeInstanceOf(Date);
    expect(invalid.getTime()).toBeNaN();
  });

  it("Uint8Array as Uint8Array and Buffer as Buffer", () => {
    const bytes = roundTrip(new Uint8Array([0, 1, 254, 255]));
    expect(Buffer.isBuffer(bytes)).toBe(false);
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
    expect([...bytes]).toEqual([0, 1, 254, 255]);
    const buffer = roundTrip(Buffer.from("bytes \u00ff", "utf8"));
    expect(Buffer.isBuffer(buffer)).toBe(true);
    expect(buffer.toString("utf8")).toBe("bytes \u00ff");
    expect(roundTrip(new Uint8Array(0))).toStrictEqual(new Uint8Array(0));
  });

  it("a Uint8Array view of part of a larger buffer: only the viewed bytes", () => {
    const view = new Uint8Array(new Uint8Array([9, 1, 2, 9]).buffer, 1, 2);
    expect([...roundTrip(view)]).toEqual([1, 2]);
  });

  it("Map and Set with keys and members of any supported type, in order", () => {
    const map = new Map<unknown, unknown>([
      [1n, "bigint key"],
      [new Date(5), new Set([1, "1", undefined])],
      [{ nested: [1] }, new Map([[Number.NaN, -0]])],
      [undefined, null],
    ]);
    const decoded = roundTrip(map);
    expect(decoded).toStrictEqual(map);
    expect([...decoded.keys()][0]).toBe(1n);
    expect(roundTrip(new Set([3, 1, 2]))).toStrictEqual(new Set([3, 1, 2]));
    expect([...roundTrip(new Set([3, 1, 2]))]).toEqual([3, 1, 2]);
  });

  it("objects with a null prototype", () => {
    const value = Object.assign(Object.create(null), { a: 1 });
    const decoded = roundTrip(value);
    expect(Object.getPrototypeOf(decoded)).toBeNull();
    expect(decoded).toStrictEqual(value);
  });

  it("an own __proto__ key as a key, never as the prototype", () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    const decoded = roundTrip(value);
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.hasOwn(decoded, "__proto__")).toBe(true);
    expect(decoded).toStrictEqual(value);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("keys named like Object.prototype members as plain own keys", () => {
    const value = { constructor: [1], toString: "s", hasOwnProperty: null, valueOf: new Date(3) };
    const decoded = roundTrip(value);
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.keys(decoded)).toEqual(Object.keys(value));
    expect(decoded.constructor).toStrictEqual([1]);
    expect(decoded.valueOf).toStrictEqual(new Date(3));
    expect({ ...decoded, constructor: undefined }).toStrictEqual({ ...value, constructor: undefined });
  });

  it("an object used twice (not a cycle) as two equal copies", () => {
    const shared = { x: 1 };
    const decoded = roundTrip({ a: shared, b: shared });
    expect(decoded).toStrictEqual({ a: { x: 1 }, b: { x: 1 } });
  });

  it("nested combinations of everything", () => {
    const value = {
      jobs: [
        { id: 1n, at: new Date(1000), tags: new Set(["a", "b"]), data: Buffer.from([1, 2]), left: undefined },
        { id: 2n, at: new Date(Number.NaN), tags: new Set<string>(), data: new Uint8Array([3]), left: -0 },
      ],
      byName: new Map<string, unknown>([["x", { deep: [[[Number.POSITIVE_INFINITY, { $t: "escaped" }]]] }]]),
      failure: new RangeError("too far", { cause: { attempt: 3, limits: new Map([[1, 2]]) } }),
    };
    const decoded = roundTrip(value);
    expect(decoded).toStrictEqual(value);
    expect(decoded.failure.cause).toStrictEqual(value.failure.cause);
  });
});
