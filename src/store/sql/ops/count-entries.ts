/**
 * Entry counts by cache and status for `jobcache inspect`: one grouped SELECT that the
 * (cache_name, status, entry_id) index answers without reading values.
 * @module
 */
import type { EntryCount } from "../../store.js";
import type { SqlContext } from "./sql-context.js";

/** Counts of entries per (cache, status), ordered by cache and status. */
export async function countEntries(ctx: SqlContext, cacheName?: string): Promise<EntryCount[]> {
  let query = ctx.db
    .selectFrom("jobcache_entry")
    .select(["cache_name", "status", (eb) => eb.fn.countAll<number | string | bigint>().as("count")])
    .groupBy(["cache_name", "status"])
    .orderBy("cache_name")
    .orderBy("status");
  if (cacheName !== undefined) query = query.where("cache_name", "=", cacheName);
  const rows = await query.execute();
  return rows.map((row) => ({ cacheName: row.cache_name, status: row.status, count: Number(row.count) }));
}
