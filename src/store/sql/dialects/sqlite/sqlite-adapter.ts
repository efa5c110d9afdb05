/**
 * SQLite capabilities: RETURNING and `ON CONFLICT DO UPDATE ... WHERE` (SQLite >= 3.35), but no
 * writable CTEs and no row locks: writes that take several statements run in a `BEGIN
 * IMMEDIATE` transaction (see sqlite-driver.ts), which holds the file's write lock throughout.
 * @module
 */
import { type RawBuilder, sql } from "kysely";
import { DialectAdapterBase, type DialectDdl } from "../dialect-adapter.js";
import type { SqlErrorKind } from "../sql-error-kind.js";
import { classifySqliteError } from "./sqlite-errors.js";

/**
 * `unixepoch('subsec')` (SQLite >= 3.42) has millisecond resolution and SQLite fixes 'now' for
 * the whole of one statement step, so every use in one statement agrees. One host, one clock:
 * all processes sharing the file read the same system clock.
 */
const NOW_MICROS = sql<number>`cast(unixepoch('subsec') * 1000000 as integer)`;

const ddl: DialectDdl = {
  // Exactly "integer primary key autoincrement": ids are never reused, even after a delete.
  addEntryId: (table) =>
    table.addColumn("entry_id", "integer", (column) => column.primaryKey().autoIncrement()),
  textType: "text",
};

/** The SQLITE dialect adapter. */
export class SqliteStoreAdapter extends DialectAdapterBase {
  readonly dialect = "SQLITE";
  readonly ddl = ddl;

  override get embedded(): boolean {
    return true;
  }

  override get supportsReturning(): boolean {
    return true;
  }

  override get upsertStyle(): "on-conflict" {
    return "on-conflict";
  }

  override get supportsForUpdate(): boolean {
    return false;
  }

  now(): RawBuilder<number> {
    return NOW_MICROS;
  }

  classifyError(error: unknown): SqlErrorKind {
    return classifySqliteError(error);
  }
}
