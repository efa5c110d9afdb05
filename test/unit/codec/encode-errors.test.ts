import { describe, expect, it } from "vitest";
import { EInvalidArgument } from "../../../src/base/errors.js";
import { MAX_DEPTH } from "../../../src/codec/tagged-encode.js";
import { defaultCodec } from "../../../src/codec/value-codec.js";
import { roundTrip } from "./round-trip.js";

function encodeError(value: unknown): EInvalidArgument {
  try {
    defaultCodec.encode(value);
  } catch (error) {
    expect(error).toBeInstanceOf(EInvalidArgument);
    expect((error as EInvalidArgument).argument).toBe("value");
    return error as EInvalidArgument;
  }
  throw new Error("encode did not throw");
}

class Point {
  constructor(readonly x: number) {}
}

describe("encode rejects what it cannot store faithfully, naming the path", () => {
  it.each<[string, unknown, string]>([
    ["a function", { a: { b: [0, 1, () => 1] } }, "value.a.b[2] is a function"],
    ["a symbol", { list: [Symbol("s")] }, "value.list[0] is a symbol"],
    ["a class instance", { p: new Point(1) }, "value.p is an instance of Point"],
    ["a RegExp", { "odd key": /x/ }, 'value["odd key"] is an instance of RegExp'],
    ["a boxed string", [new String("s")], "value[0] is an instance of String"],
    ["a Promise", Promise.resolve(1), "value is an instance of Promise"],
    ["another typed array", { t: new Int32Array(1) }, "value.t is an instance of Int32Array"],
    ["a Date subclass", { d: new (class Later extends Date {})() }, "value.d is an instance of Later"],
    ["a Map subclass", new (class Registry extends Map {})(), "value is an instance of Registry"],
    ["a symbol key", { a: { [Symbol("k")]: 1 } }, "value.a[Symbol(k)] is a property with a symbol key"],
    [
      "a named array property",
      { a: Object.assign([1], { extra: 2 }) },
      "value.a.extra is a named property of an array",
    ],
    ["a function as a Map key", new Map([[() => 1, 1]]), "value[Map entry 0 key] is a function"],
    ["a function as a Map value", new Map([[1, () => 1]]), "value[Map entry 0 value] is a function"],
    ["a function in a Set", new Set([1, Math.max]), "value[Set member 1] is a function"],
    ["a function as an error cause", new Error("e", { cause: () => 1 }), "value.cause is a function"],
    [
      "a function as an error field",
      Object.assign(new Error("e"), { fn: () => 1 }),
      "value.fn is a function",
    ],
    [
      "a prototype without constructor",
      Object.create(Object.create(null)),
      "value is an object with a custom prototype",
    ],
  ])("%s", (_, value, message) => {
    const error = encodeError(value);
    expect(error.message).toContain(message);
    expect(error.message).toContain("cannot store");
  });

  it("a circular reference, with the path where it closes", () => {
    const root: Record<string, unknown> = { list: [] };
    (root.list as unknown[]).push({ back: root });
    expect(encodeError(root).message).toContain("value.list[0].back is a circular reference");
  });

  it("a cycle through a Map, a Set and an error cause", () => {
    const map = new Map<string, unknown>();
    map.set("self", map);
    expect(encodeError(map).message).toContain("value[Map entry 0 value] is a circular reference");
    const set = new Set<unknown>();
    set.add([set]);
    expect(encodeError(set).message).toContain("value[Set member 0][0] is a circular reference");
    const error = new Error("loop");
    error.cause = error;
    expect(encodeError(error).message).toContain("value.cause is a circular reference");
  });

  it(`nesting deeper than MAX_DEPTH (${MAX_DEPTH}), with a shortened path; MAX_DEPTH itself is fine`, () => {
    const nest = (depth: number) => {
      let value: unknown = "leaf";
      for (let i = 0; i < depth; i++) value = { a: [value] };
      return value;
    };
    expect(roundTrip(nest(MAX_DEPTH / 2))).toStrictEqual(nest(MAX_DEPTH / 2));
    const message = encodeError(nest(MAX_DEPTH / 2 + 1)).message;
    expect(message).toMatch(/^value\.a\[0\]\.a.*….*\.a\[0\] is nested deeper than 1000 levels/);
    expect(message.length).toBeLessThan(400);
  });

  it("an object used twice is no cycle", () => {
    const shared = [1];
    expect(() => defaultCodec.encode({ a: shared, b: [shared] })).not.toThrow();
  });
});
