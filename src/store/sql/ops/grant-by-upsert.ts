/**
 * A grant as one upsert with RETURNING (SQLite; any dialect with upserts but no writable CTEs).
 * Granted: one statement. Refused: a second SELECT says superseded or missing. No transaction:
 * the upsert alone decides atomically (SQLite's single writer; a row lock elsewhere), and the
 * probe only classifies a refusal that already happened.
 * @module
 */
import type { GrantRequest, GrantResult } from "../../store.js";
import { granted, refused } from "./grant-outcome.js";
import { probeRefusal } from "./grant-refusal-probe.js";
import { leaseUpsert } from "./lease-upsert.js";
import { firstRow, type SqlContext } from "./sql-context.js";

/** Grants in one upsert; probes only when refused. */
export async function grantByUpsert(ctx: SqlContext, request: GrantRequest): Promise<GrantResult> {
  const row = firstRow(await leaseUpsert(ctx, request).execute(ctx.db));
  if (row !== undefined) return granted(row.grant_time, row.expiry);
  return refused(request, await probeRefusal(ctx, request));
}
