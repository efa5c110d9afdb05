/**
 * updateEntry: replaces status and value and increments the revision, only at the revision the
 * ticket saw and under a live lease.
 * @module
 */
import { sql } from "kysely";
import type { PutRequest } from "../../store.js";
import type { EntryChange } from "./entry-change.js";
import { fencedWrite } from "./fenced-write.js";
import { isEntryOf } from "./lease-sql.js";
import type { SqlContext } from "./sql-context.js";

const updateChange: EntryChange<PutRequest> = {
  kind: "update",
  newRevision: (request) => request.expectedRevision + 1,
  statement: (request, fence) => sql`update jobcache_entry
    set revision = revision + 1, status = ${request.status}, value = ${request.value}
    where ${isEntryOf(request, "jobcache_entry")} and revision = ${request.expectedRevision}
      and exists (select 1 from ${fence.from} where ${fence.where})`,
};

/** Updates the entry; returns `expectedRevision + 1`. */
export function updateEntry(ctx: SqlContext, request: PutRequest): Promise<number> {
  return fencedWrite(ctx, updateChange, request);
}
