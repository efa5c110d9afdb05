/**
 * createEntry: inserts the entry at revision 1 under a live lease, if no entry exists. The
 * insert selects from the fence, so without a live lease it inserts nothing.
 * @module
 */
import { sql } from "kysely";
import type { PutRequest } from "../../store.js";
import type { EntryChange } from "./entry-change.js";
import { fencedWrite } from "./fenced-write.js";
import { isEntryOf } from "./lease-sql.js";
import type { SqlContext } from "./sql-context.js";

/** The first revision of every entry (also after a delete and re-create). */
const FIRST_REVISION = 1;

function createChange(ctx: SqlContext): EntryChange<PutRequest> {
  return {
    kind: "create",
    newRevision: () => FIRST_REVISION,
    statement: (
      request,
      fence,
    ) => sql`insert into jobcache_entry (cache_name, entry_key, revision, status, value)
      select ${request.cacheName}, ${request.key}, ${ctx.adapter.int(FIRST_REVISION)}, ${request.status}, ${request.value}
      from ${fence.from}
      where ${fence.where} and not exists (select 1 from jobcache_entry e where ${isEntryOf(request, "e")})`,
  };
}

/** Creates the entry; returns 1. */
export function createEntry(ctx: SqlContext, request: PutRequest): Promise<number> {
  return fencedWrite(ctx, createChange(ctx), request);
}
