/**
 * The lease upsert that grants and claims share: insert the lease row, or take over a row that is
 * released or expired by the database clock, in the dialect's upsert syntax. The primary key
 * (cache_name, entry_key) is what makes "one live ticket per key" hold under races: a concurrent
 * insert of the same key waits for ours and then evaluates the takeover condition on our row.
 *
 * - A takeover also needs the old row's revision to equal the one asked: the row records the
 *   entry's revision after each write under it, so a write that committed while this statement
 *   waited for the row makes the takeover fail instead of granting a stale revision.
 * - A retry with the same ticket id that still holds the row live keeps the original times, so
 *   it returns the original grant rather than "superseded by itself".
 * - A takeover starts no earlier than the old lease ended. `now` is the statement's start on
 *   PostgreSQL and MySQL: a grant that began before the holder's release statement and then
 *   waited for the row lock would otherwise record a grant time before the release.
 * @module
 */
import { type RawBuilder, sql } from "kysely";
import type { SqlContext } from "./sql-context.js";

/** The inserted columns, in the order every upsert lists them. */
export const LEASE_COLUMNS = sql`(cache_name, entry_key, ticket_id, revision, state, grant_time, heartbeat_time, expiry, holder)`;

/**
 * `ON CONFLICT (...) DO UPDATE ... WHERE <retry or free>` (PostgreSQL, SQLite): the WHERE is
 * judged once on the old row, so a refused takeover changes nothing.
 */
function onConflict(): RawBuilder<unknown> {
  const retry = sql`jobcache_lease.ticket_id = excluded.ticket_id and jobcache_lease.state = 'granted'
    and jobcache_lease.expiry > excluded.grant_time`;
  const start = sql`case when jobcache_lease.expiry > excluded.grant_time then jobcache_lease.expiry
    else excluded.grant_time end`;
  const duration = sql`(excluded.expiry - excluded.grant_time)`;
  const kept = (column: string, fresh: RawBuilder<unknown>) =>
    sql`case when ${retry} then jobcache_lease.${sql.raw(column)} else ${fresh} end`;
  return sql`on conflict (cache_name, entry_key) do update set
      ticket_id = excluded.ticket_id, revision = excluded.revision, state = 'granted',
      grant_time = ${kept("grant_time", start)}, heartbeat_time = ${kept("heartbeat_time", start)},
      expiry = ${kept("expiry", sql`${start} + ${duration}`)},
      last_request_id = null, last_result = null,
      holder = excluded.holder, renewals = ${kept("renewals", sql`0`)}
    where ${retry}
      or ((jobcache_lease.state = 'released' or jobcache_lease.expiry <= excluded.grant_time)
        and jobcache_lease.revision = excluded.revision)`;
}

/**
 * `ON DUPLICATE KEY UPDATE col = IF(...)` (MySQL, MariaDB). There is no WHERE, and MySQL assigns
 * left to right, each IF seeing the columns changed before it. So the decision is written into
 * `ticket_id` first (judged on the old row: free and at the asked revision); later columns read
 * "took" as "the ticket is now ours and the old row was free" from columns not yet assigned
 * (state, expiry, revision); `expiry` and `state` go last. The revision never changes on a takeover (it must equal
 * the asked one). A retry with the same live ticket id changes nothing and reads back the row.
 */
function onDuplicateKey(): RawBuilder<unknown> {
  const ended = sql`(state = 'released' or expiry <= values(grant_time))`;
  const free = sql`${ended} and revision = values(revision)`;
  const took = sql`ticket_id = values(ticket_id) and ${free}`;
  return sql`on duplicate key update
      ticket_id = if(${free}, values(ticket_id), ticket_id),
      grant_time = if(${took}, greatest(expiry, values(grant_time)), grant_time),
      heartbeat_time = if(${took}, grant_time, heartbeat_time),
      last_request_id = if(${took}, null, last_request_id),
      last_result = if(${took}, null, last_result),
      holder = if(${took}, values(holder), holder),
      renewals = if(${took}, 0, renewals),
      expiry = if(${took}, grant_time + (values(expiry) - values(grant_time)), expiry),
      state = if(ticket_id = values(ticket_id), 'granted', state)`;
}

/** The dialect's upsert clause for `INSERT INTO jobcache_lease ${LEASE_COLUMNS} ...`. */
export function leaseUpsertClause(ctx: SqlContext): RawBuilder<unknown> {
  switch (ctx.adapter.upsertStyle) {
    case "on-conflict":
      return onConflict();
    case "on-duplicate-key":
      return onDuplicateKey();
    default:
      throw new Error(`the ${ctx.adapter.dialect} adapter has no upsert; use the transaction strategy`);
  }
}
