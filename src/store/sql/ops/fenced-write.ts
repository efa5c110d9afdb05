/**
 * Runs a fenced write (create, update, delete): the entry changes only if, in the same atomic
 * step, the ticket holds the lease live by the database clock and the entry is at the revision
 * the ticket saw; the lease row then records the new revision and the request id (so a retry
 * returns the same result) and, with `close`, is released in the same statement. When nothing
 * changed, a probe decides the error or finds the write already committed.
 * @module
 */
import { type RawBuilder, sql } from "kysely";
import type { WriteRequest } from "../../store.js";
import { RetryableConflict } from "../retry/retryable-conflict.js";
import { isEntryOf, isHeldLive, isLeaseOf, isLiveAtLock } from "./lease-sql.js";
import { changedOne, type SqlContext } from "./sql-context.js";
import { explainWriteFailure, probeWrite, type WriteKind } from "./write-failure.js";

/** A row source and condition that yield one row exactly when the ticket holds the key live. */
interface Fence {
  /** A FROM item, e.g. `holder`. */
  readonly from: RawBuilder<unknown>;
  /** The condition on it, e.g. `true`. */
  readonly where: RawBuilder<boolean>;
}

/** One entry change: create, update or delete. */
export interface EntryChange<R extends WriteRequest = WriteRequest> {
  readonly kind: WriteKind;
  /** The entry's revision after the change (0 after a delete): recorded on the lease row. */
  newRevision(request: R): number;
  /**
   * The INSERT / UPDATE / DELETE of the entry at the expected revision. With a fence it changes
   * a row only when the fence yields one; without, the caller already holds the lease row locked.
   */
  statement(request: R, fence?: Fence): RawBuilder<unknown>;
}

/** What the entry must be for the change: absent for a create, at the expected revision else. */
function entryIsAsExpected(kind: WriteKind, request: WriteRequest): RawBuilder<boolean> {
  return kind === "create"
    ? sql<boolean>`not exists (select 1 from jobcache_entry e where ${isEntryOf(request, "e")})`
    : sql<boolean>`exists (select 1 from jobcache_entry e where ${isEntryOf(request, "e")}
        and e.revision = ${request.expectedRevision})`;
}

/**
 * The SET list that records a write on the lease row: new revision, request id and result, and
 * either `committed` or (with `close`) `released` ending at database-now, as closeTicket does.
 */
export function recordedWrite(
  ctx: SqlContext,
  request: WriteRequest,
  revision: number,
  alias = "",
): RawBuilder<unknown> {
  const { adapter } = ctx;
  const c = (column: string) => sql.raw(alias === "" ? column : `${alias}.${column}`);
  const state =
    request.close === true
      ? sql`${c("state")} = 'released', ${c("expiry")} = ${adapter.now()}`
      : sql`${c("state")} = 'committed'`;
  return sql`${c("revision")} = ${adapter.int(revision)}, ${state},
    ${c("last_request_id")} = ${request.requestId}, ${c("last_result")} = ${adapter.int(revision)}`;
}

/**
 * One statement (PostgreSQL): `holder` locks our lease row FOR UPDATE (a concurrent takeover
 * waits for us, then sees the revision we recorded); `changed` is the entry change, fenced by the
 * locked row being live by the clock *after* the lock was taken, so a write that waited for the
 * row past its expiry is refused; `recorded` updates (or, with `close`, releases) the lease row
 * only if the entry changed.
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
      update jobcache_lease set ${recordedWrite(ctx, request, revision)}
      where ${isLeaseOf(request, "jobcache_lease")} and ticket_id = ${request.ticketId}
        and exists (select 1 from changed)
    )
    select done from changed`.execute(ctx.db);
  if (result.rows.length === 1) return revision;
  return explainWriteFailure(change.kind, request, await probeWrite(ctx, request));
}

/**
 * A transaction of two portable statements (SQLite, MySQL, MariaDB), lease row first: the fenced
 * UPDATE of the lease row (held live by this ticket, entry as expected) records the write and
 * locks the row (SQLite's BEGIN IMMEDIATE already holds the write lock), so no takeover can slip
 * in before the entry change that follows; a refusal is probed in the same transaction. Four
 * statements with BEGIN and COMMIT; locking the row with a SELECT first would be a fifth.
 */
async function writeInTransaction<R extends WriteRequest>(
  ctx: SqlContext,
  change: EntryChange<R>,
  request: R,
) {
  const revision = change.newRevision(request);
  const probe = await ctx.db.transaction().execute(async (trx) => {
    const recorded = await sql`update jobcache_lease set ${recordedWrite(ctx, request, revision)}
      where ${isHeldLive(ctx, request, "jobcache_lease")} and ${entryIsAsExpected(change.kind, request)}`.execute(
      trx,
    );
    if (!changedOne(recorded)) return probeWrite(ctx, request, trx);
    if (!changedOne(await change.statement(request).execute(trx))) {
      // only a writer without a lease could have changed the entry: undo and try again
      throw new RetryableConflict(`the entry changed under the lease of ${request.key}`);
    }
    return "done" as const;
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
