/**
 * queryKey: the entry of one key by the unique index (cache_name, entry_key); never blocked by
 * leases.
 * @module
 */
import { sql } from "kysely";
import type { KeyRef, StoredEntry } from "../../store.js";
import { isEntryOf } from "./lease-sql.js";
import { firstRow, type SqlContext } from "./sql-context.js";

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

/** The entry, or `undefined`. */
export async function queryKey(ctx: SqlContext, ref: KeyRef): Promise<StoredEntry | undefined> {
  const row = firstRow(
    await sql<EntryRow>`select e.entry_key, e.revision, e.status, e.value from jobcache_entry e
      where ${isEntryOf(ref, "e")}`.execute(ctx.db),
  );
  return row === undefined ? undefined : toStoredEntry(row);
}
