import { describe, expect, it } from "vitest";
import { FORMAT_VERSION, TAG } from "../../../src/codec/format.js";
import { defaultCodec } from "../../../src/codec/value-codec.js";
import { roundTrip } from "./round-trip.js";

describe("stored format, version 1", () => {
  // These texts are in databases: a change here breaks stored rows. Add a tag or a version instead.
  it.each<[string, unknown, string]>([
    ["plain JSON stays plain", { a: [1, "x", true, null] }, '{"a":[1,"x",true,null]}'],
    ["undefined", [undefined], '[{"$t":"undefined"}]'],
    // biome-ignore lint/suspicious/noSparseArray: the hole is what is tested
    ["an array with a hole", [, 1], '{"$t":"sparse","v":{"length":2,"items":[[1,1]]}}'],
    ["NaN", Number.NaN, '{"$t":"number","v":"NaN"}'],
    ["-0", -0, '{"$t":"number","v":"-0"}'],
    ["Infinity", Number.POSITIVE_INFINITY, '{"$t":"number","v":"Infinity"}'],
    ["-Infinity", Number.NEGATIVE_INFINITY, '{"$t":"number","v":"-Infinity"}'],
    ["bigint", -12n, '{"$t":"bigint","v":"-12"}'],
    ["date", new Date(0), '{"$t":"date","v":"1970-01-01T00:00:00.000Z"}'],
    ["invalid date", new Date(Number.NaN), '{"$t":"date","v":null}'],
    ["Uint8Array", new Uint8Array([104, 105]), '{"$t":"bytes","v":"aGk="}'],
    ["Buffer", Buffer.from("hi"), '{"$t":"buffer","v":"aGk="}'],
    ["Map", new Map([[1, 2]]), '{"$t":"map","v":[[1,2]]}'],
    ["Set", new Set(["a"]), '{"$t":"set","v":["a"]}'],
    ["null prototype", Object.assign(Object.create(null), { a: 1 }), '{"$t":"null-proto","v":{"a":1}}'],
    ["escaped tag key", { $t: "date", v: 1 }, '{"$t":"object","v":{"$t":"date","v":1}}'],
  ])("%s", (_, value, node) => {
    expect(defaultCodec.encode(value)).toBe(`{"jobcache":1,"value":${node}}`);
  });

  it("errors as type, name, message, stack, cause and props", () => {
    const error = Object.assign(new TypeError("m", { cause: 1 }), { code: "C" });
    error.stack = "S";
    expect(defaultCodec.encode(error)).toBe(
      '{"jobcache":1,"value":{"$t":"error","v":{"type":"TypeError","name":"TypeError","message":"m",' +
        '"stack":"S","cause":1,"props":{"code":"C"}}}}',
    );
  });

  it("is version 1 with tag key $t", () => {
    expect(FORMAT_VERSION).toBe(1);
    expect(TAG).toBe("$t");
  });

  it("still reads arrays with `hole` nodes, as rows written before the `sparse` tag hold them", () => {
    const decoded = defaultCodec.decode('{"jobcache":1,"value":[{"$t":"hole"},1]}') as unknown[];
    expect(0 in decoded).toBe(false);
    // biome-ignore lint/suspicious/noSparseArray: the hole is what is tested
    expect(decoded).toStrictEqual([, 1]);
  });

  it("reads a hand-written version 1 text", () => {
    const text =
      '{"jobcache":1,"value":{"n":{"$t":"bigint","v":"5"},"when":{"$t":"date","v":"2024-02-29T12:00:00.000Z"}}}';
    expect(defaultCodec.decode(text)).toStrictEqual({ n: 5n, when: new Date("2024-02-29T12:00:00.000Z") });
  });
});

describe("tag-key escape", () => {
  it.each([
    { $t: "date", v: "2020-01-01T00:00:00.000Z" },
    { $t: "undefined" },
    { $t: "hole" },
    { $t: "object", v: { $t: "x" } },
    { $t: 1, other: undefined },
    { outer: { $t: "error", v: null } },
    [{ $t: "hole" }, { $t: "number", v: "NaN" }],
  ])("plain object %o round-trips unchanged", (value) => {
    expect(roundTrip(value)).toStrictEqual(value);
  });

  it("inside maps, sets, null-prototype objects and error fields", () => {
    const nullProto = Object.assign(Object.create(null), { $t: "bigint", v: "1" });
    const error = Object.assign(new Error("e"), { $t: "set" });
    const value = new Map<unknown, unknown>([
      [{ $t: "map" }, new Set([{ $t: "set", v: [] }])],
      ["n", nullProto],
    ]);
    expect(roundTrip(value)).toStrictEqual(value);
    expect(roundTrip(error)).toStrictEqual(error);
    expect(Object.getPrototypeOf(roundTrip(nullProto))).toBeNull();
  });
});
