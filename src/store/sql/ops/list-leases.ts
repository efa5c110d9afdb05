/**
 * Leases for `jobcache inspect`: every lease row of a cache (or all caches) with its state as of
 * the database clock (`expired` is derived: not released and expiry passed).
 * @module
 */
import { sql } from "kysely";
import type { LeaseInfo } from "../../store.js";
import { type MicrosColumn, microsToDate, type StoredLeaseState, toMicros } from "../schema.js";
import type { SqlContext } from "./sql-context.js";

interface LeaseRow {
  readonly now: MicrosColumn;
  readonly cache_name: string;
  readonly entry_key: string;
  readonly ticket_id: string;
  readonly revision: number;
  readonly state: StoredLeaseState;
  readonly grant_time: MicrosColumn;
  readonly heartbeat_time: MicrosColumn;
  readonly expiry: MicrosColumn;
}

function toLeaseInfo(row: LeaseRow): LeaseInfo {
  const now = toMicros(row.now);
  const expiry = toMicros(row.expiry);
  const expired = row.state !== "released" && expiry <= now;
  return {
    cacheName: row.cache_name,
    key: row.entry_key,
    ticketId: row.ticket_id,
    revision: Number(row.revision),
    state: expired ? "expired" : row.state,
    grantTime: microsToDate(row.grant_time),
    heartbeatTime: microsToDate(row.heartbeat_time),
    expiry: microsToDate(expiry),
    expiresInMs: (expiry - now) / 1000,
  };
}

/** Lease rows ordered by cache and key. */
export async function listLeases(ctx: SqlContext, cacheName?: string): Promise<LeaseInfo[]> {
  const where = cacheName === undefined ? sql`` : sql`where l.cache_name = ${cacheName}`;
  const result =
    await sql<LeaseRow>`select ${ctx.adapter.now()} as now, l.cache_name, l.entry_key, l.ticket_id,
      l.revision, l.state, l.grant_time, l.heartbeat_time, l.expiry
    from jobcache_lease l ${where} order by l.cache_name, l.entry_key`.execute(ctx.db);
  return result.rows.map(toLeaseInfo);
}
