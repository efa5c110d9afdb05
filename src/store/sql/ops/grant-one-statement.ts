/**
 * A grant in one statement (PostgreSQL): the upsert runs in a writable CTE, and the same
 * statement reports the lease row and entry as they were before it, so a refusal needs no
 * second round trip. Locking: the upsert's ON CONFLICT locks the existing row; a concurrent grant
 * waits for it and then re-checks the takeover condition on the newest row version.
 * @module
 */
import { sql } from "kysely";
import type { GrantRequest, GrantResult } from "../../store.js";
import { granted, type RefusalProbe, refused } from "./grant-outcome.js";
import { entryRevision } from "./lease-sql.js";
import { leaseUpsert } from "./lease-upsert.js";
import { firstRow, type SqlContext } from "./sql-context.js";

interface GrantRow extends RefusalProbe {
  readonly granted_time: RefusalProbe["now"] | null;
  readonly granted_expiry: RefusalProbe["now"] | null;
}

/** Grants, or says why not, in one statement. */
export async function grantInOneStatement(ctx: SqlContext, request: GrantRequest): Promise<GrantResult> {
  const result = await sql<GrantRow>`with granted as (${leaseUpsert(ctx, request)})
    select ${ctx.adapter.now()} as now, g.grant_time as granted_time, g.expiry as granted_expiry,
      l.ticket_id, l.state, l.expiry, ${entryRevision(request)} as entry_revision
    from (select 1 as one) probe
    left join granted g on true
    left join jobcache_lease l on l.cache_name = ${request.cacheName} and l.entry_key = ${request.key}`.execute(
    ctx.db,
  );
  const row = firstRow(result);
  if (row === undefined) throw new Error("grant statement returned no row");
  if (row.granted_time !== null && row.granted_expiry !== null)
    return granted(row.granted_time, row.granted_expiry);
  return refused(request, row);
}
