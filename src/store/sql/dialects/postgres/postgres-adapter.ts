/**
 * PostgreSQL capabilities: writable CTEs, `INSERT ... ON CONFLICT DO UPDATE ... WHERE`, RETURNING
 * and row locks, so every operation is one statement.
 * @module
 */
import { type RawBuilder, sql } from "kysely";
import { DialectAdapterBase, type DialectDdl } from "../dialect-adapter.js";
import type { SqlErrorKind } from "../sql-error-kind.js";
import { classifyPostgresError } from "./postgres-errors.js";

/**
 * `statement_timestamp()`, not `now()`: `now()` is frozen for a whole transaction, while the
 * statement's start time moves with every statement and is the same wherever it appears in one
 * (so `grant_time` and `expiry` of one grant agree). `clock_timestamp()` would differ between
 * two uses in one statement. Microseconds fit a bigint until the year 294247.
 */
const NOW_MICROS = sql<number>`(extract(epoch from statement_timestamp()) * 1000000)::bigint`;

const ddl: DialectDdl = {
  addEntryId: (table) =>
    table.addColumn("entry_id", "bigint", (column) => column.generatedByDefaultAsIdentity().primaryKey()),
  textType: "text",
};

/** The POSTGRESQL dialect adapter. */
export class PostgresAdapter extends DialectAdapterBase {
  readonly dialect = "POSTGRESQL";
  readonly ddl = ddl;

  override get supportsWritableCte(): boolean {
    return true;
  }

  override get supportsReturning(): boolean {
    return true;
  }

  override get upsertStyle(): "on-conflict" {
    return "on-conflict";
  }

  override get supportsSkipLocked(): boolean {
    return true;
  }

  now(): RawBuilder<number> {
    return NOW_MICROS;
  }

  /** PostgreSQL types a bare `$1` in a select list as text: say what it is. */
  override int(value: number): RawBuilder<number> {
    return sql<number>`${value}::integer`;
  }

  override bigint(value: number): RawBuilder<number> {
    return sql<number>`${value}::bigint`;
  }

  classifyError(error: unknown): SqlErrorKind {
    return classifyPostgresError(error);
  }
}
