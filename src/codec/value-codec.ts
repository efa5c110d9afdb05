/**
 * Value codecs: how a cache turns entry values into the text it stores, and back.
 * @module
 */
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { EInvalidArgument } from "../base/errors.js";
import type { ValueCodec } from "../base/types.js";
import { decodeJson, encodeJson } from "./json-codec.js";
import { checkSchema } from "./schema-check.js";

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
