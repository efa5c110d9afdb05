import { expect } from "vitest";
import { defaultCodec } from "../../../src/codec/value-codec.js";

/** Encodes and decodes with the default codec, which must answer synchronously. */
export function roundTrip<T>(value: T): T {
  const decoded = defaultCodec.decode(defaultCodec.encode(value));
  expect(decoded).not.toBeInstanceOf(Promise);
  return decoded as T;
}
