/** The two ways a codec fails, with messages that name the path. @module */
import { ECacheCorruption, EInvalidArgument } from "../base/errors.js";

const SUPPORTED =
  "use plain objects, arrays, strings, numbers, booleans, null, undefined, bigint, Date, Map, Set, " +
  "Uint8Array, Buffer or Error";

/** Paths of deep values are cut in the middle so messages stay readable. */
const MAX_PATH_LENGTH = 200;

function shortPath(path: string): string {
  if (path.length <= MAX_PATH_LENGTH) return path;
  return `${path.slice(0, MAX_PATH_LENGTH / 2)}…${path.slice(-MAX_PATH_LENGTH / 2)}`;
}

/** A value (or part of one) that the codec cannot store: the caller's mistake. */
export function unstorable(path: string, problem: string, hint = SUPPORTED): EInvalidArgument {
  return new EInvalidArgument(
    "value",
    `${shortPath(path)} is ${problem}, which the value codec cannot store; ${hint}`,
  );
}

/**
 * A stored text that is not in the format: written by something else, or damaged. `path` is
 * where in the value, or "" for the text as a whole.
 */
export function corrupt(path: string, problem: string, cause?: unknown): ECacheCorruption {
  const where = path === "" ? "" : ` at ${shortPath(path)}`;
  return new ECacheCorruption(`cannot decode the stored value: ${problem}${where}`, { cause });
}
