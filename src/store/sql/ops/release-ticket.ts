/**
 * Release (closeTicket): marks the lease released and ends it at database-now, so the key is
 * free at once. The row stays (inspect shows the history; the next grant takes it over). Not
 * the holder, already released or expired: nothing changes, no error. One UPDATE.
 * @module
 */
import { sql } from "kysely";
import type { LeaseRef } from "../../store.js";
import { isHeldLive } from "./lease-sql.js";
import type { SqlContext } from "./sql-context.js";

/** Releases the lease if `lease.ticketId` holds it live. */
export async function releaseTicket(ctx: SqlContext, lease: LeaseRef): Promise<void> {
  await sql`update jobcache_lease set state = 'released', expiry = ${ctx.adapter.now()}
    where ${isHeldLive(ctx, lease, "jobcache_lease")}`.execute(ctx.db);
}
