/**
 * Leases for `jobcache inspect`: every lease row of a cache (or all caches) with its state as of
 * the database clock (`expired` is derived: not released and expiry passed), its holder and
 * renewals. Kysely's builder: the row type comes from schema.ts.
 * @module
 */
import type { LeaseInfo } from "../../store.js";
import { microsToDate, toMicros } from "../schema.js";
import type { SqlContext } from "./sql-context.js";

/** Lease rows ordered by cache and key. */
export async function listLeases(ctx: SqlContext, cacheName?: string): Promise<LeaseInfo[]> {
  let query = ctx.db
    .selectFrom("jobcache_lease as l")
    .select([
      ctx.adapter.now().as("now"),
      "l.cache_name",
      "l.entry_key",
      "l.ticket_id",
      "l.revision",
      "l.state",
      "l.grant_time",
      "l.heartbeat_time",
      "l.expiry",
      "l.holder",
      "l.renewals",
    ])
    .orderBy("l.cache_name")
    .orderBy("l.entry_key");
  if (cacheName !== undefined) query = query.where("l.cache_name", "=", cacheName);
  const rows = await query.execute();
  return rows.map((row) => {
    const now = toMicros(row.now);
    const expiry = toMicros(row.expiry);
    const grant = toMicros(row.grant_time);
    const expired = row.state !== "released" && expiry <= now;
    return {
      cacheName: row.cache_name,
      key: row.entry_key,
      ticketId: row.ticket_id,
      revision: Number(row.revision),
      state: expired ? "expired" : row.state,
      grantTime: microsToDate(grant),
      heartbeatTime: microsToDate(row.heartbeat_time),
      expiry: microsToDate(expiry),
      expiresInMs: (expiry - now) / 1000,
      holder: row.holder ?? undefined,
      renewals: Number(row.renewals),
      heldForMs: Math.max(0, Math.min(now, expiry) - grant) / 1000,
    };
  });
}
