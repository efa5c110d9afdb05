/**
 * Renewal: extends a live lease to database-now + duration in one compare-and-set UPDATE. The
 * WHERE clause requires the ticket to hold the row live by the database clock, so renewal never
 * revives an expired or taken-over lease. A retry after a lost reply renews again: same outcome.
 * @module
 */
import { sql } from "kysely";
import type { RenewRequest } from "../../store.js";
import { type MicrosColumn, microsToDate } from "../schema.js";
import { durationMicros, isHeldLive, isLeaseOf, notLive } from "./lease-sql.js";
import { changedOne, firstRow, type SqlContext } from "./sql-context.js";

const notRenewable = (request: RenewRequest) => notLive(request, "it cannot be renewed; open a new ticket");

/** Renews; `ECacheTicket` when the lease is not held live by the ticket. */
export async function renewTicket(
  ctx: SqlContext,
  request: RenewRequest,
): Promise<{ readonly expiry: Date }> {
  const { adapter } = ctx;
  const now = adapter.now();
  const update = sql`update jobcache_lease
    set heartbeat_time = ${now}, renewals = renewals + 1, expiry = ${now} + ${adapter.bigint(durationMicros(request.durationMs))}
    where ${isHeldLive(ctx, request, "jobcache_lease")}`;
  if (adapter.supportsReturning) {
    const row = firstRow(await sql<{ expiry: MicrosColumn }>`${update} returning expiry`.execute(ctx.db));
    if (row === undefined) throw notRenewable(request);
    return { expiry: microsToDate(row.expiry) };
  }
  if (adapter.supportsLastInsertIdExpr) {
    // MySQL: the reply's insert id carries the new expiry, so renewal stays one statement
    const result = await sql`update jobcache_lease
      set heartbeat_time = ${now}, renewals = renewals + 1, expiry = last_insert_id(${now} + ${adapter.bigint(durationMicros(request.durationMs))})
      where ${isHeldLive(ctx, request, "jobcache_lease")}`.execute(ctx.db);
    if (!changedOne(result) || result.insertId === undefined) throw notRenewable(request);
    return { expiry: microsToDate(result.insertId) };
  }
  // Without RETURNING: read the new expiry back. The row stays ours: only expiry frees it.
  if (!changedOne(await update.execute(ctx.db))) throw notRenewable(request);
  const row = firstRow(
    await sql<{ expiry: MicrosColumn }>`select expiry from jobcache_lease
      where ${isLeaseOf(request, "jobcache_lease")} and ticket_id = ${request.ticketId}`.execute(ctx.db),
  );
  if (row === undefined) throw notRenewable(request);
  return { expiry: microsToDate(row.expiry) };
}
