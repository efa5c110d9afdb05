/**
 * createEntry: inserts the entry at revision 1 under a live lease, if no entry exists. Fenced,
 * the insert selects from the fence, so without a live lease it inserts nothing.
 * @module
 */
import { sql } from "kysely";
import type { PutRequest } from "../../store.js";
import { type EntryChange, fencedWrite } from "./fenced-write.js";
import { isEntryOf } from "./lease-sql.js";
import type { SqlContext } from "./sql-context.js";

/** The first revision of every entry (also after a delete and re-create). */
const FIRST_REVISION = 1;

function createChange(ctx: SqlContext): EntryChange<PutRequest> {
  const columns = sql`(cache_name, entry_key, revision, status, value)`;
  return {
    kind: "create",
    newRevision: () => FIRST_REVISION,
    statement: (request, fence) => {
      const first = ctx.adapter.int(FIRST_REVISION);
      if (fence === undefined) {
        return sql`insert into jobcache_entry ${columns}
          values (${request.cacheName}, ${request.key}, ${first}, ${request.status}, ${request.value})`;
      }
      return sql`insert into jobcache_entry ${columns}
        select ${request.cacheName}, ${request.key}, ${first}, ${request.status}, ${request.value}
        from ${fence.from}
        where ${fence.where} and not exists (select 1 from jobcache_entry e where ${isEntryOf(request, "e")})`;
    },
  };
}

/** Creates the entry; returns 1. */
export function createEntry(ctx: SqlContext, request: PutRequest): Promise<number> {
  return fencedWrite(ctx, createChange(ctx), request);
}
