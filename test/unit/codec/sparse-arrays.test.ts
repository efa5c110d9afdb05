/**
 * Issue 8 item 3: a sparse array costs what it holds. `a.length = 2 ** 32 - 1` used to make the
 * codec visit four billion empty slots (40 s, then out of memory).
 */
import { describe, expect, it } from "vitest";
import { EInvalidArgument } from "../../../src/base/errors.js";
import { defaultCodec } from "../../../src/codec/value-codec.js";
import { roundTrip } from "./round-trip.js";

function sparse(length: number, items: Record<number, unknown> = {}): unknown[] {
  const array: unknown[] = [];
  array.length = length;
  for (const [index, value] of Object.entries(items)) array[Number(index)] = value;
  return array;
}

describe("sparse arrays are encoded by their present elements", () => {
  it("the longest array JavaScript allows, empty, encodes to a few bytes and comes back as long", () => {
    const text = defaultCodec.encode({ a: sparse(2 ** 32 - 1) });
    expect(text.length).toBeLessThan(100);
    const decoded = defaultCodec.decode(text) as { a: unknown[] };
    expect(decoded.a).toHaveLength(2 ** 32 - 1);
    expect(Object.keys(decoded.a)).toEqual([]);
  });

  it("a 50-million-slot array with three elements keeps exactly those three, at their indexes", () => {
    const value = sparse(5e7, { 0: "first", 123456: { deep: [1, 2] }, 49999999: undefined });
    const text = defaultCodec.encode(value);
    expect(text.length).toBeLessThan(200);
    const decoded = defaultCodec.decode(text) as unknown[];
    expect(decoded).toHaveLength(5e7);
    expect(Object.keys(decoded)).toEqual(["0", "123456", "49999999"]);
    expect(decoded[123_456]).toStrictEqual({ deep: [1, 2] });
    expect(49_999_999 in decoded).toBe(true);
    expect(decoded[49_999_999]).toBeUndefined();
  });

  it("holes stay holes and undefined elements stay present", () => {
    // biome-ignore lint/suspicious/noSparseArray: the holes are what is tested
    const value = [undefined, , 3, , ,];
    const decoded = roundTrip(value);
    expect(decoded).toHaveLength(5);
    expect(Object.keys(decoded)).toEqual(["0", "2"]);
    expect(decoded).toStrictEqual(value);
  });

  it("a dense array stays a plain JSON array", () => {
    expect(defaultCodec.encode([1, [2]])).toBe('{"jobcache":1,"value":[1,[2]]}');
  });

  it("a named property of a sparse array is refused, naming it, without walking the length", () => {
    const value = Object.assign(sparse(2 ** 32 - 1, { 7: 1 }), { extra: true });
    expect(() => defaultCodec.encode({ a: value })).toThrow(EInvalidArgument);
    expect(() => defaultCodec.encode({ a: value })).toThrow(/value\.a\.extra is a named property/);
  });

  it('the key "4294967295" is a named property, not an index (ECMA-262), so it is refused', () => {
    const value = sparse(1) as unknown[] & Record<string, unknown>;
    value["4294967295"] = 1;
    expect(() => defaultCodec.encode(value)).toThrow(/named property of an array/);
  });
});
