/**
 * What every operation runs against: the Kysely instance (or a transaction of it) and the
 * dialect's capabilities and fragments.
 * @module
 */
import type { Kysely } from "kysely";
import type { DialectAdapter } from "../dialects/dialect-adapter.js";
import type { JobcacheSchema } from "../schema.js";

/** An open SQL store's connection and dialect. */
export interface SqlContext {
  readonly db: Kysely<JobcacheSchema>;
  readonly adapter: DialectAdapter;
}

/** The first row of a result, or undefined. */
export function firstRow<R>(result: { readonly rows: readonly R[] }): R | undefined {
  return result.rows[0];
}

/** Whether a write statement changed exactly one row. */
export function changedOne(result: { readonly numAffectedRows?: bigint | undefined }): boolean {
  return result.numAffectedRows === 1n;
}
