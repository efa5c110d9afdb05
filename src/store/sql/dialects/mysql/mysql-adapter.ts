/**
 * MySQL 8 and MariaDB capabilities. Neither has writable CTEs, an `ON CONFLICT ... DO UPDATE ...
 * WHERE` upsert or `UPDATE ... RETURNING`; both have `ON DUPLICATE KEY UPDATE` (grants in one
 * upsert), multi-table UPDATE, `LAST_INSERT_ID(expr)` and `SKIP LOCKED`. Writes that take two
 * statements run as short InnoDB transactions that change the lease row first (so it is locked).
 * MariaDB is the variant: it has `INSERT ... RETURNING` (also with `ON DUPLICATE KEY UPDATE`)
 * and `DELETE ... RETURNING`, reported by its own flags.
 * @module
 */
import { type RawBuilder, sql } from "kysely";
import { DialectAdapterBase, type DialectDdl } from "../dialect-adapter.js";
import type { SqlErrorKind } from "../sql-error-kind.js";
import { classifyMysqlError } from "./mysql-errors.js";

/**
 * `now(6)` is fixed at the start of each statement (the same wherever it appears in one, moving
 * between statements, also inside a transaction), with microseconds. `unix_timestamp()` reads it
 * in the session time zone, which every connection sets to '+00:00' (mysql-session.ts), so no
 * daylight-saving hour is ambiguous. The product is an exact DECIMAL, cast to a BIGINT.
 */
const NOW_MICROS = sql<number>`cast(unix_timestamp(now(6)) * 1000000 as signed)`;

/**
 * InnoDB explicitly (a server whose default engine is MyISAM would silently lose transactions);
 * utf8mb4 for values; and a binary collation for every text column, so keys and statuses compare
 * case-sensitively as on the other dialects (`A` and `a` are two keys) whatever the database's
 * default collation is (often utf8mb4_general_ci, case-insensitive).
 */
const TABLE_OPTIONS = "engine = InnoDB default character set = utf8mb4 collate = utf8mb4_bin";

const ddl: DialectDdl = {
  // Auto-increment ids grow with each insert; InnoDB never reuses one while the server runs.
  addEntryId: (table) =>
    table.addColumn("entry_id", "bigint", (column) => column.autoIncrement().primaryKey()),
  textType: "longtext",
  tableOptions: TABLE_OPTIONS,
};

/** The MYSQL dialect adapter (MySQL 8: no RETURNING at all). */
export class MysqlStoreAdapter extends DialectAdapterBase {
  readonly dialect: string = "MYSQL";
  readonly ddl = ddl;

  override get upsertStyle(): "on-duplicate-key" {
    return "on-duplicate-key";
  }

  /** MySQL 8.0.1+; MariaDB 10.6+. */
  override get supportsSkipLocked(): boolean {
    return true;
  }

  /** `DELETE ... RETURNING`. MySQL: no. */
  get supportsDeleteReturning(): boolean {
    return false;
  }

  override get supportsUpdateJoin(): boolean {
    return true;
  }

  override get supportsLastInsertIdExpr(): boolean {
    return true;
  }

  now(): RawBuilder<number> {
    return NOW_MICROS;
  }

  classifyError(error: unknown): SqlErrorKind {
    return classifyMysqlError(error);
  }
}

/**
 * The MARIADB dialect adapter (10.5+). `supportsReturning` stays false: the store reads it as
 * "INSERT and UPDATE ... RETURNING", and MariaDB has no `UPDATE ... RETURNING`.
 */
export class MariadbStoreAdapter extends MysqlStoreAdapter {
  override readonly dialect: string = "MARIADB";

  /** `INSERT ... RETURNING`, also with `ON DUPLICATE KEY UPDATE`. */
  override get supportsInsertReturning(): boolean {
    return true;
  }

  override get supportsDeleteReturning(): boolean {
    return true;
  }
}
