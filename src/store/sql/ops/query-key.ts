/**
 * queryKey: the entry of one key by the unique index (cache_name, entry_key); never blocked by
 * leases.
 * @module
 */
import type { KeyRef, StoredEntry } from "../../store.js";
import type { SqlContext } from "./sql-context.js";

/** One entry row as selected. */
export interface EntryRow {
  readonly entry_key: string;
  readonly revision: number;
  readonly status: string;
  readonly value: string;
}

/** A stored entry from its row. */
export function toStoredEntry(row: EntryRow): StoredEntry {
  return { key: row.entry_key, revision: Number(row.revision), status: row.status, value: row.value };
}

/** The entry, or `undefined`. Kysely's builder: the row type comes from schema.ts. */
export async function queryKey(ctx: SqlContext, ref: KeyRef): Promise<StoredEntry | undefined> {
  const row = await ctx.db
    .selectFrom("jobcache_entry as e")
    .select(["e.entry_key", "e.revision", "e.status", "e.value"])
    .where("e.cache_name", "=", ref.cacheName)
    .where("e.entry_key", "=", ref.key)
    .executeTakeFirst();
  return row === undefined ? undefined : toStoredEntry(row);
}
