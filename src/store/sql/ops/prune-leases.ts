/**
 * Prune (`jobcache prune --older-than`): deletes lease rows that ended (released, or expired by
 * the database clock) before now - olderThan. Live leases are never touched: the condition is
 * judged on the row the DELETE locks, so a row a grant takes over meanwhile stays. A grant needs
 * no old row (its entry condition reads the entry table), so pruning changes no outcome; only a
 * write retried after its lease row was pruned can no longer find its original result, hence an
 * age well past any retry (minutes at least). Kysely's builder: one DELETE.
 * @module
 */
import { sql } from "kysely";
import { durationMicros } from "./lease-sql.js";
import type { SqlContext } from "./sql-context.js";

/** Deletes ended lease rows older than `olderThanMs`; returns how many. */
export async function pruneLeases(ctx: SqlContext, olderThanMs: number, cacheName?: string): Promise<number> {
  const { adapter } = ctx;
  const cutoff = sql<number>`${adapter.now()} - ${adapter.bigint(olderThanMs === 0 ? 0 : durationMicros(olderThanMs))}`;
  // expiry <= now - age implies ended: a released row's expiry is its release time
  let query = ctx.db.deleteFrom("jobcache_lease").where("expiry", "<=", cutoff);
  if (cacheName !== undefined) query = query.where("cache_name", "=", cacheName);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}
