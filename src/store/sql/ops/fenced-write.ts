/**
 * Runs a fenced write: the entry changes only if, in the same atomic step, the ticket holds the
 * lease live by the database clock and the entry is at the revision the ticket saw; the lease
 * row then records the new revision and the request id (so a retry returns the same result).
 * When nothing changed, a probe decides the error or finds the write already committed.
 * @module
 */
import { sql } from "kysely";
import type { WriteRequest } from "../../store.js";
import type { EntryChange } from "./entry-change.js";
import { isHeldLive, isLeaseOf, isLiveAtLock } from "./lease-sql.js";
import { changedOne, type SqlContext } from "./sql-context.js";
import { explainWriteFailure, probeWrite } from "./write-failure.js";

function recordWrite(ctx: SqlContext, request: WriteRequest, revision: number) {
  const { adapter } = ctx;
  return sql`update jobcache_lease set revision = ${adapter.int(revision)}, state = 'committed',
      last_request_id = ${request.requestId}, last_result = ${adapter.int(revision)}
    where ${isLeaseOf(request, "jobcache_lease")} and ticket_id = ${request.ticketId}`;
}

/**
 * One statement (PostgreSQL): `holder` locks our lease row FOR UPDATE (a concurrent takeover
 * waits for us, then sees the revision we recorded); `changed` is the entry change, fenced by the
 * locked row being live by the clock *after* the lock was taken, so a write that waited for the
 * row past its expiry is refused; `recorded` updates the lease row only if the entry changed.
 */
async function writeInOneStatement<R extends WriteRequest>(
  ctx: SqlContext,
  change: EntryChange<R>,
  request: R,
) {
  const fence = { from: sql`holder`, where: isLiveAtLock(ctx, "holder") };
  const revision = change.newRevision(request);
  const result = await sql<{ done: number }>`with holder as (
      select l.state, l.expiry from jobcache_lease l
      where ${isLeaseOf(request, "l")} and l.ticket_id = ${request.ticketId} for update
    ), changed as (
      ${change.statement(request, fence)} returning 1 as done
    ), recorded as (
      ${recordWrite(ctx, request, revision)} and exists (select 1 from changed)
    )
    select done from changed`.execute(ctx.db);
  if (result.rows.length === 1) return revision;
  return explainWriteFailure(change.kind, request, await probeWrite(ctx, request));
}

/**
 * A transaction of portable statements (SQLite, MySQL): lock the lease row first where row locks
 * exist (SQLite's BEGIN IMMEDIATE already holds the write lock), change the entry fenced by the
 * live-holder condition, record it on the lease row; or probe why not, in the same transaction.
 */
async function writeInTransaction<R extends WriteRequest>(
  ctx: SqlContext,
  change: EntryChange<R>,
  request: R,
) {
  const fence = { from: sql`jobcache_lease l`, where: isHeldLive(ctx, request, "l") };
  const revision = change.newRevision(request);
  const probe = await ctx.db.transaction().execute(async (trx) => {
    if (ctx.adapter.supportsForUpdate) {
      await sql`select ticket_id from jobcache_lease where ${isLeaseOf(request, "jobcache_lease")} for update`.execute(
        trx,
      );
    }
    if (changedOne(await change.statement(request, fence).execute(trx))) {
      await recordWrite(ctx, request, revision).execute(trx);
      return "done" as const;
    }
    return probeWrite(ctx, request, trx);
  });
  if (probe === "done") return revision;
  return explainWriteFailure(change.kind, request, probe);
}

/** Applies `change` fenced by the lease; returns the entry's new revision (0 after a delete). */
export function fencedWrite<R extends WriteRequest>(
  ctx: SqlContext,
  change: EntryChange<R>,
  request: R,
): Promise<number> {
  return ctx.adapter.writeStrategy === "one-statement"
    ? writeInOneStatement(ctx, change, request)
    : writeInTransaction(ctx, change, request);
}
