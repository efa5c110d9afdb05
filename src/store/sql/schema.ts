/**
 * The tables of the SQL store, as Kysely types. Times are microseconds since the epoch (UTC) from
 * the database clock; PostgreSQL returns 64-bit integers as strings, so readers go through
 * `toMicros`.
 * @module
 */
import type { ColumnType, Generated } from "kysely";

/** Microseconds since the epoch, as a driver returns a 64-bit integer. */
export type MicrosColumn = number | string | bigint;

/** Lifecycle states stored in `jobcache_lease.state`; `expired` is derived, never stored. */
export type StoredLeaseState = "granted" | "committed" | "released";

/** One job entry per (cache, key). */
interface EntryTable {
  /** Auto-increment: the creation order. A re-created entry gets a new id. */
  entry_id: Generated<MicrosColumn>;
  cache_name: string;
  entry_key: string;
  revision: number;
  status: string;
  value: string;
}

/** One lease row per (cache, key): the primary key makes "one live ticket per key" a constraint. */
interface LeaseTable {
  cache_name: string;
  entry_key: string;
  ticket_id: string;
  /** The entry's revision after the last grant or write under this lease (0: no entry). */
  revision: number;
  state: StoredLeaseState;
  grant_time: MicrosColumn;
  heartbeat_time: MicrosColumn;
  expiry: MicrosColumn;
  /** The request id of the last write, so a retried write returns its original result. */
  last_request_id: string | null;
  last_result: number | null;
  /** The holder's instance id (migration 0002); NULL for leases granted before it. */
  holder: ColumnType<string | null, string | null | undefined, string | null>;
  /** Renewals since the grant (migration 0002). */
  renewals: ColumnType<number, number | undefined, number>;
}

/** Kysely Migrator's record of applied migrations (renamed so other apps' migrations never clash). */
interface MigrationTable {
  name: string;
  timestamp: string;
}

/** The whole schema. */
export interface JobcacheSchema {
  jobcache_entry: EntryTable;
  jobcache_lease: LeaseTable;
  jobcache_migration: MigrationTable;
}

/** Table names of Kysely Migrator's bookkeeping. */
export const MIGRATION_TABLE = "jobcache_migration";
export const MIGRATION_LOCK_TABLE = "jobcache_migration_lock";

/** A 64-bit column value as a JavaScript number (microseconds fit: 2^53 µs is 285 years). */
export function toMicros(value: MicrosColumn): number {
  return typeof value === "number" ? value : Number(value);
}

/** A database time in microseconds as a Date (millisecond precision). */
export function microsToDate(value: MicrosColumn): Date {
  return new Date(Math.floor(toMicros(value) / 1000));
}
