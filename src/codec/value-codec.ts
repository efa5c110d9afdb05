/**
 * Value codecs: how a cache turns entry values into the text it stores, and back.
 * @module
 */
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { EInvalidArgument } from "../errors.js";
import { decodeJson, encodeJson } from "./json-codec.js";
import { checkSchema } from "./schema-check.js";

/**
 * Turns entry values into stored text and back. Pass one to `getCache(name, { codec })`; a
 * custom codec must round-trip every value it accepts and keep reading what it wrote before.
 *
 * @example
 * ```ts
 * const codec: ValueCodec<{ step: number }> = createValueCodec({ schema: z.object({ step: z.number() }) });
 * const cache = manager.getCache("jobs", { codec });
 * ```
 */
export interface ValueCodec<T> {
  /**
   * The text to store for `value`.
   * @throws EInvalidArgument (argument `value`) when the value cannot be stored faithfully
   */
  encode(value: T): string;
  /**
   * The value stored as `text`; a Promise when an asynchronous schema checks it.
   * @throws ECacheCorruption (or rejects with it) when the text cannot be decoded or the value
   *   fails the schema
   */
  decode(text: string): T | Promise<T>;
}

/** Options of {@link createValueCodec}. */
export interface ValueCodecOptions<T> {
  /**
   * Any Standard Schema validator (zod 4, valibot, arktype, ...) that every decoded value must
   * pass; the codec returns the schema's output. Values are not checked on encode: what is
   * written is the caller's value, typed as `T`; what is read may have been written by an older
   * version of the code, which is the case this check exists for.
   * @defaultValue no check
   */
  schema?: StandardSchemaV1<unknown, T>;
}

/**
 * A codec of the jobcache value format (versioned JSON, see `format.ts`): round-trips plain
 * objects and arrays, strings, all numbers (NaN, ±Infinity, -0), booleans, null, `undefined`
 * inside objects and arrays, bigint, Date, Map, Set, Uint8Array, Buffer and Error.
 *
 * @example
 * ```ts
 * const codec = createValueCodec<Job>({ schema: JobSchema });
 * const text = codec.encode({ step: 1, startedAt: new Date() });
 * const job = await codec.decode(text); // ECacheCorruption if it fails JobSchema
 * ```
 * @throws EInvalidArgument (argument `schema`) when `schema` is not a Standard Schema
 */
export function createValueCodec<T = unknown>(options: ValueCodecOptions<T> = {}): ValueCodec<T> {
  const { schema } = options;
  if (schema === undefined) {
    return Object.freeze({ encode: encodeJson, decode: (text: string) => decodeJson(text) as T });
  }
  if (typeof schema?.["~standard"]?.validate !== "function") {
    throw new EInvalidArgument(
      "schema",
      "schema must be a Standard Schema validator (an object with `~standard.validate`), e.g. a zod 4 schema",
    );
  }
  return Object.freeze({
    encode: encodeJson,
    decode: (text: string) => checkSchema(schema, decodeJson(text)),
  });
}

/** The codec caches use when `getCache` is given none: {@link createValueCodec} without a schema. */
export const defaultCodec: ValueCodec<unknown> = createValueCodec();
