/** Format nodes (see `format.ts`) back to values. Throws `ECacheCorruption` naming the path. @module */
import { corrupt } from "./codec-failures.js";
import { decodeError } from "./error-codec.js";
import { TAG } from "./format.js";
import { propertyPath } from "./value-path.js";

const SPECIAL_NUMBERS: Record<string, number> = {
  NaN: Number.NaN,
  "-0": -0,
  Infinity: Number.POSITIVE_INFINITY,
  "-Infinity": Number.NEGATIVE_INFINITY,
};
const BIGINT = /^-?(0|[1-9]\d*)$/;
// Buffer.from(text, "base64") skips characters it does not know; check first so damage shows.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The value of the format node `node` (parsed JSON), whose path in messages is `path`. */
export function decodeNode(node: unknown, path = "value"): unknown {
  if (node === null || typeof node !== "object") return node;
  if (Array.isArray(node)) return decodeArray(node, path);
  if (!Object.hasOwn(node, TAG)) return decodeEntries(node, path, Object.prototype);
  return decodeTagged(node as Record<string, unknown>, path);
}

function isHole(node: unknown): boolean {
  return node !== null && typeof node === "object" && (node as Record<string, unknown>)[TAG] === "hole";
}

function decodeArray(nodes: unknown[], path: string): unknown[] {
  const values: unknown[] = new Array(nodes.length);
  nodes.forEach((node, i) => {
    if (!isHole(node)) values[i] = decodeNode(node, `${path}[${i}]`);
  });
  return values;
}

/** The largest array length JavaScript allows. */
const MAX_ARRAY_LENGTH = 2 ** 32 - 1;

/** An array with holes: `length`, and `[index, node]` pairs in increasing index order. */
function decodeSparse(v: Record<string, unknown>, path: string): unknown[] {
  const { length, items } = v;
  if (typeof length !== "number" || !Number.isInteger(length) || length < 0 || length > MAX_ARRAY_LENGTH) {
    throw corrupt(path, `a sparse array whose length ${JSON.stringify(length)} is not an array length`);
  }
  const values: unknown[] = [];
  values.length = length;
  let previous = -1;
  for (const item of expectArray(items, path, "sparse")) {
    const index = Array.isArray(item) && item.length === 2 ? item[0] : undefined;
    if (typeof index !== "number" || !Number.isInteger(index) || index <= previous || index >= length) {
      throw corrupt(path, "a sparse array item that is not an [index, node] pair in increasing index order");
    }
    values[index] = decodeNode((item as unknown[])[1], `${path}[${index}]`);
    previous = index;
  }
  return values;
}

/** Keys are taken literally; `__proto__` becomes an own key, never the prototype. */
function decodeEntries(node: object, path: string, proto: object | null): object {
  const value: Record<string, unknown> = Object.create(proto);
  for (const [key, child] of Object.entries(node)) {
    const decoded = decodeNode(child, propertyPath(path, key));
    if (key === "__proto__") {
      Object.defineProperty(value, key, {
        value: decoded,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    } else {
      value[key] = decoded;
    }
  }
  return value;
}

function decodeTagged(node: Record<string, unknown>, path: string): unknown {
  const tag = node[TAG];
  const v = node.v;
  switch (tag) {
    case "undefined":
      return undefined;
    case "number":
      if (typeof v === "string" && Object.hasOwn(SPECIAL_NUMBERS, v)) return SPECIAL_NUMBERS[v];
      throw corrupt(path, `a special number ${JSON.stringify(v)} that is not NaN, Infinity, -Infinity or -0`);
    case "bigint":
      if (typeof v === "string" && BIGINT.test(v)) return BigInt(v);
      throw corrupt(path, `a bigint ${JSON.stringify(v)} that is not a decimal integer`);
    case "date":
      return decodeDate(v, path);
    case "bytes":
      return new Uint8Array(decodeBase64(v, path));
    case "buffer":
      return decodeBase64(v, path);
    case "map":
      return new Map(expectArray(v, path, "map").map((entry, i) => decodeMapEntry(entry, `${path}`, i)));
    case "set":
      return new Set(
        expectArray(v, path, "set").map((member, i) => decodeNode(member, `${path}[Set member ${i}]`)),
      );
    case "object":
      return decodeEntries(expectObject(v, path, "object"), path, Object.prototype);
    case "null-proto":
      return decodeEntries(expectObject(v, path, "null-proto"), path, null);
    case "error":
      return decodeError(v, path, decodeNode);
    case "sparse":
      return decodeSparse(expectObject(v, path, "sparse") as Record<string, unknown>, path);
    case "hole":
      throw corrupt(path, "an array hole outside an array");
    default:
      throw corrupt(path, `an unknown tag ${JSON.stringify(tag)} (written by a newer version of jobcache?)`);
  }
}

function decodeDate(v: unknown, path: string): Date {
  if (v === null) return new Date(Number.NaN);
  const date = typeof v === "string" ? new Date(v) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw corrupt(path, `a date ${JSON.stringify(v)} that is not an ISO 8601 string or null`);
  }
  return date;
}

function decodeBase64(v: unknown, path: string): Buffer {
  if (typeof v === "string" && BASE64.test(v)) return Buffer.from(v, "base64");
  throw corrupt(path, "bytes that are not a base64 string");
}

function decodeMapEntry(entry: unknown, path: string, i: number): [unknown, unknown] {
  if (!Array.isArray(entry) || entry.length !== 2)
    throw corrupt(`${path}[Map entry ${i}]`, "a map entry that is not a pair");
  return [
    decodeNode(entry[0], `${path}[Map entry ${i} key]`),
    decodeNode(entry[1], `${path}[Map entry ${i} value]`),
  ];
}

function expectArray(v: unknown, path: string, tag: string): unknown[] {
  if (Array.isArray(v)) return v;
  throw corrupt(path, `a "${tag}" node whose "v" is not an array`);
}

function expectObject(v: unknown, path: string, tag: string): object {
  if (v !== null && typeof v === "object" && !Array.isArray(v)) return v;
  throw corrupt(path, `a "${tag}" node whose "v" is not an object`);
}
