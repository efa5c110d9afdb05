/**
 * Read under a lease: one SELECT of the lease row joined to the entry, with the database time,
 * so the liveness check and the read see the same moment.
 * @module
 */
import { sql } from "kysely";
import { holdsLive } from "../../../base/lease-rules.js";
import type { LeaseRef, StoredEntry } from "../../store.js";
import { type MicrosColumn, type StoredLeaseState, toMicros } from "../schema.js";
import { isLeaseOf, notLive, toLeaseRecord } from "./lease-sql.js";
import { firstRow, type SqlContext } from "./sql-context.js";

interface ReadRow {
  readonly now: MicrosColumn;
  readonly ticket_id: string;
  readonly state: StoredLeaseState;
  readonly expiry: MicrosColumn;
  readonly revision: number | null;
  readonly status: string | null;
  readonly value: string | null;
}

/** The entry under a live lease; `undefined` if there is none; `ECacheTicket` if not held live. */
export async function readEntry(ctx: SqlContext, lease: LeaseRef): Promise<StoredEntry | undefined> {
  const row = firstRow(
    await sql<ReadRow>`select ${ctx.adapter.now()} as now, l.ticket_id, l.state, l.expiry,
        e.revision, e.status, e.value
      from jobcache_lease l
      left join jobcache_entry e on e.cache_name = l.cache_name and e.entry_key = l.entry_key
      where ${isLeaseOf(lease, "l")}`.execute(ctx.db),
  );
  if (row === undefined || !holdsLive(toLeaseRecord(row), lease.ticketId, toMicros(row.now))) {
    throw notLive(lease);
  }
  if (row.revision === null || row.status === null || row.value === null) return undefined;
  return { key: lease.key, revision: Number(row.revision), status: row.status, value: row.value };
}
