/**
 * The default codec's text: the value format of `format.ts` wrapped with its version, so a future
 * format can be told apart from this one in rows written long ago.
 * @module
 */
import { ECacheCorruption } from "../base/errors.js";
import { corrupt } from "./codec-failures.js";
import { FORMAT_VERSION } from "./format.js";
import { decodeNode } from "./tagged-decode.js";
import { encodeNode } from "./tagged-encode.js";

/**
 * The stored text of `value`: `{"jobcache":1,"value":<node>}`.
 * @throws EInvalidArgument (argument `value`) naming the path of a function, symbol, class
 *   instance or circular reference
 */
export function encodeJson(value: unknown): string {
  return JSON.stringify({ jobcache: FORMAT_VERSION, value: encodeNode(value) });
}

/**
 * The value stored as `text` by {@link encodeJson}.
 * @throws ECacheCorruption when the text is not JSON, not this format, or of another version
 */
export function decodeJson(text: string): unknown {
  if (typeof text !== "string") throw corrupt("", `a stored value of type ${typeof text}, not text`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw corrupt("", "text that is not valid JSON", error);
  }
  if (
    parsed === null ||
    typeof parsed !== "object" ||
    Array.isArray(parsed) ||
    !Object.hasOwn(parsed, "value") ||
    !Object.hasOwn(parsed, "jobcache")
  ) {
    throw corrupt("", 'JSON that is not a jobcache value (expected {"jobcache":1,"value":...})');
  }
  const { jobcache: version, value } = parsed as Record<string, unknown>;
  if (version !== FORMAT_VERSION) {
    throw corrupt(
      "",
      `format version ${JSON.stringify(version)}, but this jobcache reads version ${FORMAT_VERSION} ` +
        "(was it written by a newer jobcache?)",
    );
  }
  try {
    return decodeNode(value);
  } catch (error) {
    if (error instanceof ECacheCorruption) throw error;
    // e.g. RangeError from nesting deeper than the stack: still a value that cannot be decoded
    throw corrupt("value", `a value that cannot be rebuilt (${String(error)})`, error);
  }
}
