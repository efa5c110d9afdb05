/**
 * Release (closeTicket): marks the lease released and ends it at database-now, so the key is
 * free at once. The row stays (inspect shows the history; the next grant takes it over, or
 * `prune` removes it). Not the holder, already released or expired: nothing changes, no error.
 * One compare-and-set UPDATE with Kysely's builder.
 * @module
 */
import type { LeaseRef } from "../../store.js";
import type { SqlContext } from "./sql-context.js";

/** Releases the lease if `lease.ticketId` holds it live. */
export async function releaseTicket(ctx: SqlContext, lease: LeaseRef): Promise<void> {
  const now = ctx.adapter.now();
  await ctx.db
    .updateTable("jobcache_lease")
    .set({ state: "released", expiry: now })
    .where("cache_name", "=", lease.cacheName)
    .where("entry_key", "=", lease.key)
    .where("ticket_id", "=", lease.ticketId)
    .where("state", "<>", "released")
    .where("expiry", ">", now)
    .execute();
}
