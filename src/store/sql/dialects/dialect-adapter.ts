/**
 * Every difference between SQL dialects, as capabilities and SQL fragments. Store code branches
 * on these, never on a dialect's name, so a new dialect is a folder with an adapter, a dialect
 * (connection) and an errors file. Fragments are plain Kysely `sql` pieces.
 * @module
 */
import { type CreateTableBuilder, type RawBuilder, sql } from "kysely";
import type { SqlErrorKind } from "./sql-error-kind.js";

/** How a grant is executed; derived from the capabilities by {@link DialectAdapterBase}. */
export type GrantStrategy =
  /** One statement: an upsert inside a writable CTE that also reports why a grant was refused. */
  | "one-statement"
  /** One upsert statement with RETURNING; a second SELECT only when the grant was refused. */
  | "upsert"
  /**
   * MySQL's `INSERT ... ON DUPLICATE KEY UPDATE col = IF(...)`: one statement, with RETURNING
   * where the server has it (MariaDB); else one SELECT reads the outcome back.
   */
  | "duplicate-key"
  /** A transaction: read the lease row (locked), decide, then insert or compare-and-set. */
  | "transaction";

/** How a fenced write (create, update, delete) is executed. */
export type WriteStrategy =
  /** One statement: lock the lease row, change the entry, record it on the lease, in CTEs. */
  | "one-statement"
  /** A write transaction: fenced entry change, then the lease record. */
  | "transaction";

/** Upsert syntax of a dialect. */
export type UpsertStyle = "on-conflict" | "on-duplicate-key" | "none";

/** Column types and DDL pieces of migrations. */
export interface DialectDdl {
  /** Adds the auto-increment primary key `entry_id` (its order is the entries' creation order). */
  addEntryId<T extends string, C extends string>(
    table: CreateTableBuilder<T, C>,
  ): CreateTableBuilder<T, C | "entry_id">;
  /** Type of encoded values: unbounded text. */
  readonly textType: "text" | "longtext" | "mediumtext";
  /** Appended to every CREATE TABLE (MySQL: engine, charset, case-sensitive collation); none by default. */
  readonly tableOptions?: string | undefined;
}

/** Capabilities and fragments of one dialect. */
export interface DialectAdapter {
  /** The dialect name as configured, e.g. `POSTGRESQL`. For messages only: never branch on it. */
  readonly dialect: string;
  /** The database runs inside this process on a file: it deploys its own schema by default. */
  readonly embedded: boolean;
  /** `WITH x AS (INSERT/UPDATE/DELETE ... RETURNING ...)`: a fenced write is one statement. */
  readonly supportsWritableCte: boolean;
  /** `INSERT/UPDATE ... RETURNING`. */
  readonly supportsReturning: boolean;
  /**
   * Upsert syntax: `on-conflict` (`ON CONFLICT (...) DO UPDATE ... WHERE`), `on-duplicate-key`
   * (MySQL's `ON DUPLICATE KEY UPDATE`, conditions written as `IF(...)` per column), or none.
   */
  readonly upsertStyle: UpsertStyle;
  /** `INSERT ... RETURNING` (also with the upsert), even without `UPDATE ... RETURNING` (MariaDB). */
  readonly supportsInsertReturning: boolean;
  /**
   * `SELECT ... FOR UPDATE SKIP LOCKED`: racing claimers pass over each other's rows instead of
   * waiting for them (PostgreSQL, MySQL 8, MariaDB 10.6+).
   */
  readonly supportsSkipLocked: boolean;
  /**
   * `SELECT ... FOR UPDATE` row locks. Without them (SQLite), every write transaction must hold
   * the database's single write lock from its first statement (`BEGIN IMMEDIATE`).
   */
  readonly supportsForUpdate: boolean;
  /**
   * MySQL's multi-table `UPDATE a JOIN b ... SET a.x = ..., b.y = ...`: a fenced update changes
   * the entry and records it on the lease row in one statement, both rows locked by it.
   */
  readonly supportsUpdateJoin: boolean;
  /**
   * MySQL's `LAST_INSERT_ID(expr)`: an UPDATE can hand back one computed value (the new expiry)
   * in its reply, where there is no RETURNING.
   */
  readonly supportsLastInsertIdExpr: boolean;
  readonly grantStrategy: GrantStrategy;
  readonly writeStrategy: WriteStrategy;
  /**
   * The database's current time in microseconds since the epoch (UTC), as an integer. It must be
   * the same value wherever it appears in one statement, and move between statements (not frozen
   * per transaction), so statements may use it several times.
   */
  now(): RawBuilder<number>;
  /** A parameter typed as an integer where the database cannot infer it (`SELECT ?` lists). */
  int(value: number): RawBuilder<number>;
  /** A parameter typed as a 64-bit integer (microseconds). */
  bigint(value: number): RawBuilder<number>;
  /** `FOR UPDATE` where row locks exist, else nothing. */
  forUpdate(): RawBuilder<unknown>;
  readonly ddl: DialectDdl;
  /** What a driver error means: retry, duplicate, unreachable... */
  classifyError(error: unknown): SqlErrorKind;
}

/** The defaults: portable SQL, no optional feature. Dialects override what they have. */
export abstract class DialectAdapterBase implements DialectAdapter {
  abstract readonly dialect: string;
  abstract readonly ddl: DialectDdl;
  abstract now(): RawBuilder<number>;
  abstract classifyError(error: unknown): SqlErrorKind;

  get embedded(): boolean {
    return false;
  }

  get supportsWritableCte(): boolean {
    return false;
  }

  get supportsReturning(): boolean {
    return false;
  }

  get upsertStyle(): UpsertStyle {
    return "none";
  }

  get supportsInsertReturning(): boolean {
    return this.supportsReturning;
  }

  get supportsSkipLocked(): boolean {
    return false;
  }

  get supportsForUpdate(): boolean {
    return true;
  }

  get supportsUpdateJoin(): boolean {
    return false;
  }

  get supportsLastInsertIdExpr(): boolean {
    return false;
  }

  get grantStrategy(): GrantStrategy {
    if (this.upsertStyle === "on-conflict" && this.supportsReturning) {
      return this.supportsWritableCte ? "one-statement" : "upsert";
    }
    return this.upsertStyle === "on-duplicate-key" ? "duplicate-key" : "transaction";
  }

  get writeStrategy(): WriteStrategy {
    return this.supportsWritableCte && this.upsertStyle === "on-conflict" ? "one-statement" : "transaction";
  }

  int(value: number): RawBuilder<number> {
    return sql<number>`${value}`;
  }

  bigint(value: number): RawBuilder<number> {
    return sql<number>`${value}`;
  }

  forUpdate(): RawBuilder<unknown> {
    return this.supportsForUpdate ? sql`for update` : sql``;
  }
}

/**
 * A copy of `adapter` with some capabilities changed: tests run the portable strategies
 * ("transaction") on SQLite and PostgreSQL, as a dialect without those features would.
 */
export function withCapabilities(
  adapter: DialectAdapter,
  changes: Partial<
    Pick<
      DialectAdapter,
      | "supportsWritableCte"
      | "supportsReturning"
      | "supportsInsertReturning"
      | "upsertStyle"
      | "supportsForUpdate"
      | "supportsSkipLocked"
    >
  >,
): DialectAdapter {
  const changed = Object.create(adapter) as DialectAdapter;
  // derived capabilities follow the switched-off ones unless given
  if (changes.supportsReturning === false && changes.supportsInsertReturning === undefined) {
    changes = { ...changes, supportsInsertReturning: false };
  }
  for (const [name, value] of Object.entries(changes)) {
    Object.defineProperty(changed, name, { value, enumerable: true });
  }
  return changed;
}
