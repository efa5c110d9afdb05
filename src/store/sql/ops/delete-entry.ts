/**
 * deleteEntry: removes the entry at the revision the ticket saw, under a live lease. The lease
 * row records revision 0 (no entry), so the key can be created again from revision 1.
 * @module
 */
import { sql } from "kysely";
import type { WriteRequest } from "../../store.js";
import { type EntryChange, fencedWrite } from "./fenced-write.js";
import { isEntryOf } from "./lease-sql.js";
import type { SqlContext } from "./sql-context.js";

const deleteChange: EntryChange = {
  kind: "delete",
  newRevision: () => 0,
  statement: (request, fence) => {
    const fenced =
      fence === undefined ? sql`` : sql`and exists (select 1 from ${fence.from} where ${fence.where})`;
    return sql`delete from jobcache_entry
      where ${isEntryOf(request, "jobcache_entry")} and revision = ${request.expectedRevision} ${fenced}`;
  },
};

/** Deletes the entry. */
export async function deleteEntry(ctx: SqlContext, request: WriteRequest): Promise<void> {
  await fencedWrite(ctx, deleteChange, request);
}
