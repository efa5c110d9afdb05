/**
 * The grant as one upsert (PostgreSQL, SQLite): insert the lease row, or take over a row that is
 * released or expired by the database clock, only while the entry condition holds. The primary
 * key (cache_name, entry_key) is what makes "one live ticket per key" hold under races: a
 * concurrent insert waits for ours and then evaluates the takeover condition on our row.
 * @module
 */
import { type RawBuilder, sql } from "kysely";
import type { GrantRequest } from "../../store.js";
import type { MicrosColumn } from "../schema.js";
import { durationMicros, isEntryOf } from "./lease-sql.js";
import type { SqlContext } from "./sql-context.js";

/** What the upsert returns when it granted. */
export interface GrantedRow {
  readonly grant_time: MicrosColumn;
  readonly expiry: MicrosColumn;
}

/** openNewTicket needs no entry; openTicket needs the entry at exactly that revision. */
function entryCondition(request: GrantRequest): RawBuilder<boolean> {
  return request.revision === null
    ? sql<boolean>`not exists (select 1 from jobcache_entry e where ${isEntryOf(request, "e")})`
    : sql<boolean>`exists (select 1 from jobcache_entry e where ${isEntryOf(request, "e")} and e.revision = ${request.revision})`;
}

/**
 * `INSERT ... ON CONFLICT DO UPDATE ... WHERE ... RETURNING grant_time, expiry`: one row when
 * granted, none when refused.
 *
 * - A retry with the same ticket id that still holds the row live keeps the original times, so
 *   it returns the original grant rather than "superseded by itself".
 * - A takeover also needs the old row's revision to equal the one asked: the row records the
 *   entry's revision after each write under it, so a write that committed while this statement
 *   waited for the row makes the takeover fail instead of granting a stale revision.
 */
export function leaseUpsert(ctx: SqlContext, request: GrantRequest): RawBuilder<GrantedRow> {
  const { adapter } = ctx;
  const now = adapter.now();
  const revision = request.revision ?? 0;
  const retry = sql`jobcache_lease.ticket_id = excluded.ticket_id and jobcache_lease.state = 'granted'
    and jobcache_lease.expiry > excluded.grant_time`;
  // A takeover starts no earlier than the old lease ended. On PostgreSQL `now` is the statement's
  // start: a grant that began before the holder's release statement and then waited for the row
  // lock would otherwise record a grant time before the release (the key was not free then).
  const start = sql`case when jobcache_lease.expiry > excluded.grant_time then jobcache_lease.expiry
    else excluded.grant_time end`;
  const duration = sql`(excluded.expiry - excluded.grant_time)`;
  const kept = (column: string, fresh: RawBuilder<unknown>) =>
    sql`case when ${retry} then jobcache_lease.${sql.raw(column)} else ${fresh} end`;
  return sql<GrantedRow>`insert into jobcache_lease
      (cache_name, entry_key, ticket_id, revision, state, grant_time, heartbeat_time, expiry)
    select ${request.cacheName}, ${request.key}, ${request.ticketId}, ${adapter.int(revision)}, 'granted',
      ${now}, ${now}, ${now} + ${adapter.bigint(durationMicros(request.durationMs))}
    where ${entryCondition(request)}
    on conflict (cache_name, entry_key) do update set
      ticket_id = excluded.ticket_id, revision = excluded.revision, state = 'granted',
      grant_time = ${kept("grant_time", start)}, heartbeat_time = ${kept("heartbeat_time", start)},
      expiry = ${kept("expiry", sql`${start} + ${duration}`)},
      last_request_id = null, last_result = null
    where ${retry}
      or ((jobcache_lease.state = 'released' or jobcache_lease.expiry <= excluded.grant_time)
        and jobcache_lease.revision = excluded.revision)
    returning grant_time, expiry`;
}
