import type { StandardSchemaV1 } from "@standard-schema/spec";
import { createValueCodec, type ValueCodec } from "../index.js";
import type { JobValue } from "./suite-context.js";

function checkJob(value: unknown): StandardSchemaV1.Result<JobValue> {
  const step = typeof value === "object" && value !== null ? (value as { step?: unknown }).step : undefined;
  return typeof step === "number"
    ? { value: value as JobValue }
    : { issues: [{ message: "step must be a number", path: ["step"] }] };
}

/**
 * A hand-written Standard Schema (no validator library needed): `{ step: number }`. A value
 * written with another shape, as by an older version of the code, fails it.
 */
const jobSchema: StandardSchemaV1<unknown, JobValue> = {
  "~standard": { version: 1, vendor: "jobcache-conformance", validate: checkJob },
};

/** The same check, answered asynchronously, as some validators do. */
const asyncJobSchema: StandardSchemaV1<unknown, JobValue> = {
  "~standard": { version: 1, vendor: "jobcache-conformance", validate: async (value) => checkJob(value) },
};

/** The default format, checked by {@link jobSchema}. */
export function schemaCodec(): ValueCodec<JobValue> {
  return createValueCodec({ schema: jobSchema });
}

/** The default format, checked by {@link asyncJobSchema}. */
export function asyncSchemaCodec(): ValueCodec<JobValue> {
  return createValueCodec({ schema: asyncJobSchema });
}

/** A codec that writes like the default one but can read nothing back. */
export function unreadableCodec(): ValueCodec<JobValue> {
  const base = createValueCodec<JobValue>();
  return {
    encode: (value) => base.encode(value),
    decode: () => {
      throw new Error("this codec cannot decode anything");
    },
  };
}
