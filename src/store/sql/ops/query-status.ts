/**
 * queryStatus: entries of one cache whose status is listed, oldest created first (entry_id),
 * leaving out those whose key has a live lease unless asked. Index use: (cache_name, status,
 * entry_id) for the entries, the lease primary key for the anti-join; EXPLAIN is checked in
 * test/sql/explain.test.ts.
 * @module
 */
import { sql } from "kysely";
import type { StatusQuery, StoredEntry } from "../../store.js";
import { isLive } from "./lease-sql.js";
import { type EntryRow, toStoredEntry } from "./query-key.js";
import type { SqlContext } from "./sql-context.js";

/** Entries in `statuses`, oldest first. */
export async function queryStatus(
  ctx: SqlContext,
  cacheName: string,
  statuses: readonly string[],
  query: StatusQuery,
): Promise<StoredEntry[]> {
  if (statuses.length === 0 || query.limit === 0) return [];
  const hideLive = query.includeOpenTickets
    ? sql``
    : sql`and not exists (select 1 from jobcache_lease l
        where l.cache_name = e.cache_name and l.entry_key = e.entry_key and ${isLive(ctx, "l")})`;
  const limit = query.limit === undefined ? sql`` : sql`limit ${query.limit}`;
  const result = await sql<EntryRow>`select e.entry_key, e.revision, e.status, e.value from jobcache_entry e
    where e.cache_name = ${cacheName} and e.status in (${sql.join([...statuses])}) ${hideLive}
    order by e.entry_id ${limit}`.execute(ctx.db);
  return result.rows.map(toStoredEntry);
}
