/**
 * A grant in a transaction, with portable SQL only (for dialects without a usable upsert with
 * RETURNING, e.g. MySQL): lock and read the lease row, decide by the lease rules with the
 * database's time, then insert the row or compare-and-set it. Locking: `FOR UPDATE` on the lease
 * row where row locks exist, else the transaction's write lock (SQLite `BEGIN IMMEDIATE`); every
 * write locks the lease row first, so the entry read after the lock is current. A concurrent
 * first insert of the same key fails on the primary key and the grant is retried.
 * @module
 */
import { type Kysely, sql } from "kysely";
import type { GrantRequest, GrantResult } from "../../store.js";
import { RetryableConflict } from "../retry/retryable-conflict.js";
import { type JobcacheSchema, type MicrosColumn, type StoredLeaseState, toMicros } from "../schema.js";
import { decide, granted, refused } from "./grant-outcome.js";
import { probeRefusal } from "./grant-refusal-probe.js";
import { durationMicros, isLeaseOf } from "./lease-sql.js";
import { changedOne, firstRow, type SqlContext } from "./sql-context.js";

interface LeaseRow {
  readonly ticket_id: string;
  readonly state: StoredLeaseState;
  readonly grant_time: MicrosColumn;
  readonly expiry: MicrosColumn;
}

/** Writes the new lease: an insert for a new key, else a compare-and-set on the row read. */
async function writeLease(
  trx: Kysely<JobcacheSchema>,
  ctx: SqlContext,
  request: GrantRequest,
  old: LeaseRow | undefined,
  times: { readonly now: number; readonly expiry: number },
): Promise<void> {
  const { adapter } = ctx;
  const revision = adapter.int(request.revision ?? 0);
  const now = adapter.bigint(times.now);
  const expiry = adapter.bigint(times.expiry);
  if (old === undefined) {
    try {
      await sql`insert into jobcache_lease
          (cache_name, entry_key, ticket_id, revision, state, grant_time, heartbeat_time, expiry)
        values (${request.cacheName}, ${request.key}, ${request.ticketId}, ${revision}, 'granted', ${now}, ${now}, ${expiry})`.execute(
        trx,
      );
    } catch (error) {
      if (adapter.classifyError(error) !== "duplicate") throw error;
      throw new RetryableConflict("another grant inserted the lease row first");
    }
    return;
  }
  const update = await sql`update jobcache_lease set ticket_id = ${request.ticketId}, revision = ${revision},
      state = 'granted', grant_time = ${now}, heartbeat_time = ${now}, expiry = ${expiry},
      last_request_id = null, last_result = null
    where ${isLeaseOf(request, "jobcache_lease")} and ticket_id = ${old.ticket_id} and state = ${old.state}
      and expiry = ${adapter.bigint(toMicros(old.expiry))}`.execute(trx);
  if (!changedOne(update)) throw new RetryableConflict("the lease row changed while granting");
}

/** Grants in one transaction of portable statements. */
export async function grantInTransaction(ctx: SqlContext, request: GrantRequest): Promise<GrantResult> {
  return ctx.db.transaction().execute(async (trx) => {
    const old = firstRow(
      await sql<LeaseRow>`select ticket_id, state, grant_time, expiry from jobcache_lease
        where ${isLeaseOf(request, "jobcache_lease")} ${ctx.adapter.forUpdate()}`.execute(trx),
    );
    const probe = await probeRefusal(ctx, request, trx);
    const now = toMicros(probe.now);
    if (old?.ticket_id === request.ticketId && old.state === "granted" && toMicros(old.expiry) > now) {
      return granted(old.grant_time, old.expiry); // a retry of a grant that did commit
    }
    if (decide(request, probe) !== "granted") return refused(request, probe);
    const expiry = now + durationMicros(request.durationMs);
    await writeLease(trx, ctx, request, old, { now, expiry });
    return granted(now, expiry);
  });
}
