/**
 * SQL conditions shared by the operations, so the lease rules of src/base/lease-rules.ts are
 * written once: a lease is live while it is not released and the database clock is before its
 * expiry; a write is fenced by "held live by this ticket".
 * @module
 */
import { type RawBuilder, sql } from "kysely";
import { describeLocation, ECacheTicket } from "../../../base/errors.js";
import type { LeaseRecord } from "../../../base/lease-rules.js";
import type { KeyRef, LeaseRef } from "../../store.js";
import { type MicrosColumn, type StoredLeaseState, toMicros } from "../schema.js";
import type { SqlContext } from "./sql-context.js";

/** `<alias>` is the lease row of `ref`. */
export function isLeaseOf(ref: KeyRef, alias: string): RawBuilder<boolean> {
  const l = sql.raw(alias);
  return sql<boolean>`${l}.cache_name = ${ref.cacheName} and ${l}.entry_key = ${ref.key}`;
}

/** `<alias>` is live by the database clock: not released, expiry still ahead. */
export function isLive(ctx: SqlContext, alias: string): RawBuilder<boolean> {
  const l = sql.raw(alias);
  return sql<boolean>`${l}.state <> 'released' and ${l}.expiry > ${ctx.adapter.now()}`;
}

/**
 * `<alias>` is live by the database clock at the moment this is evaluated, not at statement
 * start: `now()` plus the time since the statement began (PostgreSQL's `clock_timestamp()`).
 * For a check that runs after a row lock was taken, so time spent waiting for the lock counts
 * against the lease. PostgreSQL only, as the one-statement write strategy is.
 */
export function isLiveAtLock(ctx: SqlContext, alias: string): RawBuilder<boolean> {
  const l = sql.raw(alias);
  const sinceStart = sql`(extract(epoch from clock_timestamp() - statement_timestamp()) * 1000000)::bigint`;
  return sql<boolean>`${l}.state <> 'released' and ${l}.expiry > ${ctx.adapter.now()} + ${sinceStart}`;
}

/** `<alias>` is the lease of `lease.key`, held live by `lease.ticketId`: the fencing condition. */
export function isHeldLive(ctx: SqlContext, lease: LeaseRef, alias: string): RawBuilder<boolean> {
  const l = sql.raw(alias);
  return sql<boolean>`${isLeaseOf(lease, alias)} and ${l}.ticket_id = ${lease.ticketId} and ${isLive(ctx, alias)}`;
}

/** `<alias>` is the entry of `ref`. */
export function isEntryOf(ref: KeyRef, alias: string): RawBuilder<boolean> {
  const e = sql.raw(alias);
  return sql<boolean>`${e}.cache_name = ${ref.cacheName} and ${e}.entry_key = ${ref.key}`;
}

/** A scalar subquery: the revision of the entry of `ref`, NULL when there is none. */
export function entryRevision(ref: KeyRef): RawBuilder<number | null> {
  return sql<number | null>`(select e.revision from jobcache_entry e where ${isEntryOf(ref, "e")})`;
}

/** Microseconds of a lease duration given in (possibly fractional) milliseconds. */
export function durationMicros(durationMs: number): number {
  return Math.max(1, Math.round(durationMs * 1000));
}

/** The lease columns the pure lease rules read (`holdsLive`, `decideGrant`). */
export interface LeaseColumns {
  readonly ticket_id: string;
  readonly state: StoredLeaseState;
  readonly expiry: MicrosColumn;
}

/** A lease row as the lease rules of src/base/lease-rules.ts see it. */
export function toLeaseRecord(row: LeaseColumns): LeaseRecord {
  return { ticketId: row.ticket_id, released: row.state === "released", expiry: toMicros(row.expiry) };
}

/**
 * The one error of every operation whose ticket does not hold the lease live any more, by the
 * database clock. `consequence` says what did not happen, e.g. "the update was not applied".
 */
export function notLive(ref: KeyRef, consequence?: string): ECacheTicket {
  const then = consequence === undefined ? "" : `: ${consequence}`;
  return new ECacheTicket(
    `Ticket for ${describeLocation(ref.cacheName, ref.key)} is no longer live (expired by the database ` +
      `clock, closed, revoked or taken over)${then}`,
    { cacheName: ref.cacheName, key: ref.key },
  );
}

/** The holder's instance id as a parameter, NULL when the caller gave none. */
export function holderOf(request: { readonly holder?: string | undefined }): RawBuilder<string | null> {
  return sql<string | null>`${request.holder ?? null}`;
}

/**
 * No live lease on the entry `e`, as a scalar subquery: it cannot become a join over all of the
 * cache's leases, which PostgreSQL picks on fresh, never-analyzed tables (reading every lease
 * once per entry). Its conditions suit either index the planner may take: the primary key finds
 * the one lease row, the (cache_name, expiry) index only the cache's leases still live.
 */
export function noLiveLease(ctx: SqlContext): RawBuilder<boolean> {
  return sql<boolean>`(select 1 from jobcache_lease l
    where l.cache_name = e.cache_name and l.entry_key = e.entry_key and ${isLive(ctx, "l")}) is null`;
}
