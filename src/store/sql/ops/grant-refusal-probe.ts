/**
 * Reads what decides a refused grant's outcome: the lease row, the entry's revision and the
 * database time, in one SELECT (used when the grant itself could not report it).
 * @module
 */
import { type Kysely, sql } from "kysely";
import type { KeyRef } from "../../store.js";
import type { JobcacheSchema } from "../schema.js";
import type { RefusalProbe } from "./grant-outcome.js";
import { entryRevision } from "./lease-sql.js";
import type { SqlContext } from "./sql-context.js";

/** The probe row; there is always one, with NULL lease columns when no lease row exists. */
export async function probeRefusal(
  ctx: SqlContext,
  ref: KeyRef,
  executor: Kysely<JobcacheSchema> = ctx.db,
): Promise<RefusalProbe> {
  const result = await sql<RefusalProbe>`select ${ctx.adapter.now()} as now, l.ticket_id, l.state, l.expiry,
      ${entryRevision(ref)} as entry_revision
    from (select 1 as one) probe
    left join jobcache_lease l on l.cache_name = ${ref.cacheName} and l.entry_key = ${ref.key}`.execute(
    executor,
  );
  const row = result.rows[0];
  if (row === undefined) throw new Error("grant probe returned no row");
  return row;
}
