/** Values to format nodes (see `format.ts`). Throws `EInvalidArgument` naming the path. @module */
import { types } from "node:util";
import { unstorable } from "./codec-failures.js";
import { encodeError, isError } from "./error-codec.js";
import { type Json, TAG, tagged } from "./format.js";
import { propertyPath } from "./value-path.js";

/**
 * Deepest nesting of objects, arrays, maps, sets and errors. Encoding, `JSON.stringify` and
 * decoding all recurse; measured here, decoding runs out of stack near 1,800 levels of objects
 * (fewer for maps and errors), so writing more than 1,000 could store a value no one can read.
 */
export const MAX_DEPTH = 1000;

/** The format node of `value`, whose path in messages is `path`. */
export function encodeNode(value: unknown, path = "value"): Json {
  return new Encoder().encode(value, path);
}

function specialNumber(value: number): Json {
  if (Number.isNaN(value)) return tagged("number", "NaN");
  if (Object.is(value, -0)) return tagged("number", "-0");
  return tagged("number", value > 0 ? "Infinity" : "-Infinity");
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

function describeInstance(value: object): string {
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === "string" && name !== ""
    ? `an instance of ${name}`
    : "an object with a custom prototype";
}

/** The index an own key of an array names, or `undefined` for a named property such as `"x"`. */
function arrayIndex(key: string): number | undefined {
  if (!/^(0|[1-9]\d*)$/.test(key)) return undefined;
  const index = Number(key);
  // 2 ** 32 - 1 and above are ordinary property names, not indexes (ECMA-262 "array index").
  return index < 2 ** 32 - 1 ? index : undefined;
}

class Encoder {
  /** The objects on the path from the root to the current one: meeting one again is a cycle. */
  private readonly ancestors = new Set<object>();

  encode(value: unknown, path: string): Json {
    switch (typeof value) {
      case "string":
      case "boolean":
        return value;
      case "number":
        return Number.isFinite(value) && !Object.is(value, -0) ? value : specialNumber(value);
      case "bigint":
        return tagged("bigint", value.toString());
      case "undefined":
        return tagged("undefined");
      case "function":
        throw unstorable(path, "a function");
      case "symbol":
        throw unstorable(path, "a symbol");
    }
    // Only "object" is left after the switch; the typeof check tells TypeScript so.
    if (value === null || typeof value !== "object") return null;
    if (this.ancestors.has(value)) {
      throw unstorable(
        path,
        "a circular reference to an object that contains it",
        "values are stored as trees (an object used twice is stored twice, a cycle never ends)",
      );
    }
    if (this.ancestors.size >= MAX_DEPTH) {
      throw unstorable(path, `nested deeper than ${MAX_DEPTH} levels`, "store a flatter value");
    }
    this.ancestors.add(value);
    try {
      return this.encodeObject(value, path);
    } finally {
      this.ancestors.delete(value);
    }
  }

  private encodeObject(value: object, path: string): Json {
    const proto = Object.getPrototypeOf(value);
    if (Array.isArray(value) && proto === Array.prototype) return this.encodeArray(value, path);
    if (proto === Object.prototype) {
      const entries = this.encodeEntries(value, path);
      return Object.hasOwn(value, TAG) ? tagged("object", entries) : entries;
    }
    if (proto === null) return tagged("null-proto", this.encodeEntries(value, path));
    if (types.isDate(value) && proto === Date.prototype) {
      return tagged("date", Number.isNaN(value.getTime()) ? null : value.toISOString());
    }
    if (types.isUint8Array(value) && proto === Buffer.prototype) return tagged("buffer", base64(value));
    if (types.isUint8Array(value) && proto === Uint8Array.prototype) return tagged("bytes", base64(value));
    if (types.isMap(value) && proto === Map.prototype) {
      return tagged(
        "map",
        [...value].map(([k, v], i) => [
          this.encode(k, `${path}[Map entry ${i} key]`),
          this.encode(v, `${path}[Map entry ${i} value]`),
        ]),
      );
    }
    if (types.isSet(value) && proto === Set.prototype) {
      return tagged(
        "set",
        [...value].map((member, i) => this.encode(member, `${path}[Set member ${i}]`)),
      );
    }
    if (isError(value))
      return tagged(
        "error",
        encodeError(value, path, (v, p) => this.encode(v, p)),
      );
    throw unstorable(path, describeInstance(value));
  }

  /**
   * A dense array is a JSON array. An array with holes is a `sparse` node listing only its
   * present elements: the work and the text grow with what the array holds, never with its
   * length (`a.length = 2 ** 32 - 1` is one small node, not four billion holes).
   */
  private encodeArray(value: unknown[], path: string): Json {
    this.rejectSymbolKeys(value, path);
    const indexes: number[] = [];
    for (const key of Object.keys(value)) {
      const index = arrayIndex(key);
      if (index === undefined) throw unstorable(propertyPath(path, key), "a named property of an array");
      indexes.push(index);
    }
    if (indexes.length === value.length) {
      return indexes.map((i) => this.encode(value[i], `${path}[${i}]`));
    }
    return tagged("sparse", {
      length: value.length,
      items: indexes.map((i) => [i, this.encode(value[i], `${path}[${i}]`)]),
    });
  }

  /** Own enumerable string keys; written to a null-prototype object so `__proto__` stays a key. */
  private encodeEntries(value: object, path: string): { [key: string]: Json } {
    this.rejectSymbolKeys(value, path);
    const entries: { [key: string]: Json } = Object.create(null);
    for (const key of Object.keys(value)) {
      entries[key] = this.encode((value as Record<string, unknown>)[key], propertyPath(path, key));
    }
    return entries;
  }

  private rejectSymbolKeys(value: object, path: string): void {
    const symbol = Object.getOwnPropertySymbols(value).find((s) =>
      Object.prototype.propertyIsEnumerable.call(value, s),
    );
    if (symbol !== undefined) throw unstorable(propertyPath(path, symbol), "a property with a symbol key");
  }
}
