import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultCodec } from "../../../src/codec/value-codec.js";
import { roundTrip } from "./round-trip.js";

/**
 * Keys that collide with the format ("$t", "v") or with JavaScript ("__proto__"), often. Not
 * "constructor": vitest's equality compares `a.constructor === b.constructor`, so two equal
 * copies of `{ constructor: [] }` would differ (round-trip.test.ts checks that key by hand).
 */
const key = fc.oneof(fc.string(), fc.constantFrom("$t", "v", "__proto__", "toString", ""));

const leaf = fc.oneof(
  fc.boolean(),
  fc.integer(),
  fc.double(), // NaN, ±Infinity and -0 included
  fc.string({ unit: "binary" }), // lone surrogates included
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt(),
  fc.date(), // invalid dates included
  fc.uint8Array(),
  fc.uint8Array().map((bytes) => Buffer.from(bytes)),
);

const anything = fc.anything({
  key,
  values: [leaf],
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withSparseArray: true,
  maxDepth: 4,
});

const errorClasses = [
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  EvalError,
  ReferenceError,
  URIError,
] as const;

const { error } = fc.letrec<{ error: Error }>((tie) => ({
  error: fc
    .record(
      {
        ctor: fc.constantFrom(...errorClasses),
        message: fc.string(),
        cause: fc.oneof({ depthSize: "small" }, anything, tie("error")),
        fields: fc.dictionary(fc.constantFrom("code", "errno", "$t", "detail"), anything),
      },
      { requiredKeys: ["ctor", "message"] },
    )
    .map(({ ctor, message, cause, fields }) => {
      const made = cause === undefined ? new ctor(message) : new ctor(message, { cause });
      return Object.assign(made, fields);
    }),
}));

describe("default codec, property", () => {
  it("round-trips any supported value to a strictly equal one", () => {
    fc.assert(
      fc.property(anything, (value) => {
        expect(roundTrip(value)).toStrictEqual(value);
      }),
      { numRuns: 300 },
    );
  });

  it("round-trips errors with their class, name, message, stack, cause and fields", () => {
    fc.assert(
      fc.property(error, (value) => {
        const decoded = roundTrip(value);
        expect(Object.getPrototypeOf(decoded)).toBe(Object.getPrototypeOf(value));
        expect(decoded.stack).toBe(value.stack);
        expect(decoded).toStrictEqual(value);
      }),
      { numRuns: 100 },
    );
  });

  it("encodes to the same text after a round trip (the format is canonical for a value)", () => {
    fc.assert(
      fc.property(anything, (value) => {
        const text = defaultCodec.encode(value);
        expect(defaultCodec.encode(defaultCodec.decode(text))).toBe(text);
      }),
      { numRuns: 200 },
    );
  });
});
