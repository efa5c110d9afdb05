/**
 * updateEntry: replaces status and value and increments the revision, only at the revision the
 * ticket saw and under a live lease.
 * @module
 */
import { sql } from "kysely";
import type { PutRequest } from "../../store.js";
import { type EntryChange, fencedWrite, recordedWrite } from "./fenced-write.js";
import { isEntryOf, isLive } from "./lease-sql.js";
import type { SqlContext } from "./sql-context.js";
import { explainWriteFailure, probeWrite } from "./write-failure.js";

const updateChange: EntryChange<PutRequest> = {
  kind: "update",
  newRevision: (request) => request.expectedRevision + 1,
  statement: (request, fence) => {
    const fenced =
      fence === undefined ? sql`` : sql`and exists (select 1 from ${fence.from} where ${fence.where})`;
    return sql`update jobcache_entry
      set revision = revision + 1, status = ${request.status}, value = ${request.value}
      where ${isEntryOf(request, "jobcache_entry")} and revision = ${request.expectedRevision} ${fenced}`;
  },
};

/**
 * One multi-table UPDATE (MySQL, MariaDB): the join matches only when the ticket holds the lease
 * live by the database clock and the entry is at the expected revision, and it changes both rows
 * at once, holding both row locks, so a concurrent takeover waits and then sees our revision.
 * Both rows always change (a new request id), so success is two rows matched. With `close` the
 * lease is released by the same statement.
 */
async function updateByJoin(ctx: SqlContext, request: PutRequest): Promise<number> {
  const { adapter } = ctx;
  const revision = request.expectedRevision + 1;
  const result = await sql`update jobcache_entry e join jobcache_lease l
      on l.cache_name = e.cache_name and l.entry_key = e.entry_key
    set e.revision = ${adapter.int(revision)}, e.status = ${request.status}, e.value = ${request.value},
      ${recordedWrite(ctx, request, revision, "l")}
    where ${isEntryOf(request, "e")} and e.revision = ${request.expectedRevision}
      and l.ticket_id = ${request.ticketId} and ${isLive(ctx, "l")}`.execute(ctx.db);
  if (result.numAffectedRows === 2n) return revision;
  return explainWriteFailure("update", request, await probeWrite(ctx, request));
}

/** Updates the entry; returns `expectedRevision + 1`. */
export function updateEntry(ctx: SqlContext, request: PutRequest): Promise<number> {
  if (ctx.adapter.writeStrategy !== "one-statement" && ctx.adapter.supportsUpdateJoin) {
    return updateByJoin(ctx, request);
  }
  return fencedWrite(ctx, updateChange, request);
}
