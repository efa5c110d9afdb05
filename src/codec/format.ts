/**
 * The persisted value format, version 1. It is stored in databases: never change what a tag
 * means; add a tag or bump {@link FORMAT_VERSION} instead (and keep reading the old version).
 *
 * A stored value is one JSON text:
 *
 * ```json
 * {"jobcache":1,"value":<node>}
 * ```
 *
 * A node is plain JSON for strings, booleans, null, finite numbers other than -0, arrays and
 * plain objects without a `"$t"` key. Everything else is a tagged object `{"$t":<tag>,"v":...}`:
 *
 * | tag          | `v`                                   | value                                   |
 * |--------------|---------------------------------------|-----------------------------------------|
 * | `undefined`  | (none)                                | `undefined` in an object, array, ...    |
 * | `hole`       | (none)                                | a missing index (read only; see `sparse`) |
 * | `sparse`     | `{"length":n,"items":[[index,node],...]}` | an array with holes: its present elements |
 * | `number`     | `"NaN"`, `"Infinity"`, `"-Infinity"`, `"-0"` | special numbers                  |
 * | `bigint`     | decimal string                        | `bigint`                                |
 * | `date`       | ISO 8601 string, or null if invalid   | `Date`                                  |
 * | `bytes`      | base64 string                         | `Uint8Array`                            |
 * | `buffer`     | base64 string                         | `Buffer`                                |
 * | `map`        | array of `[keyNode, valueNode]`       | `Map`                                   |
 * | `set`        | array of nodes                        | `Set`                                   |
 * | `object`     | object of nodes, keys taken literally | a plain object that has a `"$t"` key    |
 * | `null-proto` | object of nodes, keys taken literally | an object with a null prototype         |
 * | `error`      | see below                             | `Error` and subclasses                  |
 *
 * An `error`'s `v` is `{"type","name","message","stack"?,"cause"?,"errors"?,"props"?}`: `type` is
 * the nearest built-in class (`Error`, `TypeError`, `AggregateError`, ...) it is decoded as; `name`
 * keeps a custom name; `cause` and `errors` (AggregateError) are nodes; `props` an object of
 * nodes holding the other own enumerable properties (e.g. `code`).
 * @module
 */

/** The version written by this code; the only version it reads. */
export const FORMAT_VERSION = 1;

/** The key that marks a tagged object. Plain objects owning this key are escaped (`object`). */
export const TAG = "$t";

/** Every tag of version 1. */
export type Tag =
  | "undefined"
  | "hole"
  | "sparse"
  | "number"
  | "bigint"
  | "date"
  | "bytes"
  | "buffer"
  | "map"
  | "set"
  | "object"
  | "null-proto"
  | "error";

/** A JSON value, as `JSON.stringify` writes and `JSON.parse` reads it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A tagged node. */
export function tagged(tag: Tag, v?: Json): Json {
  return v === undefined ? { [TAG]: tag } : { [TAG]: tag, v };
}
