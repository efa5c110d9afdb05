/**
 * Read under a lease: one SELECT of the lease row joined to the entry, with the database time,
 * so the liveness check and the read see the same moment. Kysely's builder: the row type comes
 * from schema.ts (the entry's columns nullable through the left join).
 * @module
 */
import { holdsLive } from "../../../base/lease-rules.js";
import type { LeaseRef, StoredEntry } from "../../store.js";
import { toMicros } from "../schema.js";
import { notLive, toLeaseRecord } from "./lease-sql.js";
import type { SqlContext } from "./sql-context.js";

/** The entry under a live lease; `undefined` if there is none; `ECacheTicket` if not held live. */
export async function readEntry(ctx: SqlContext, lease: LeaseRef): Promise<StoredEntry | undefined> {
  const row = await ctx.db
    .selectFrom("jobcache_lease as l")
    .leftJoin("jobcache_entry as e", (join) =>
      join.onRef("e.cache_name", "=", "l.cache_name").onRef("e.entry_key", "=", "l.entry_key"),
    )
    .select([
      ctx.adapter.now().as("now"),
      "l.ticket_id",
      "l.state",
      "l.expiry",
      "e.revision",
      "e.status",
      "e.value",
    ])
    .where("l.cache_name", "=", lease.cacheName)
    .where("l.entry_key", "=", lease.key)
    .executeTakeFirst();
  if (row === undefined || !holdsLive(toLeaseRecord(row), lease.ticketId, toMicros(row.now))) {
    throw notLive(lease);
  }
  if (row.revision === null || row.status === null || row.value === null) return undefined;
  return { key: lease.key, revision: Number(row.revision), status: row.status, value: row.value };
}
