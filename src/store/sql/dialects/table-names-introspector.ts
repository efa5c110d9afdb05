/**
 * What Kysely's Migrator asks of the database before migrating: which schemas and tables exist,
 * by name. Kysely's own introspectors read every column of every table, which under concurrent
 * DDL either fails (PostgreSQL: "schema ... does not exist" for a schema dropped meanwhile) or
 * crashed the server (MariaDB 10.11). Dialects give two plain catalog queries of names instead.
 * @module
 */
import type {
  DatabaseIntrospector,
  DatabaseMetadataOptions,
  Kysely,
  RawBuilder,
  SchemaMetadata,
  TableMetadata,
} from "kysely";

/** Kysely's default bookkeeping tables, hidden unless `withInternalKyselyTables`. */
const KYSELY_TABLES = new Set(["kysely_migration", "kysely_migration_lock"]);

/** One table as a dialect's catalog query returns it. */
export interface TableNameRow {
  readonly name: string;
  readonly in_schema: string;
  readonly is_view?: boolean | number;
}

/** Schema and table names; no column metadata (the Migrator needs none). */
export abstract class TableNamesIntrospector implements DatabaseIntrospector {
  // biome-ignore lint/suspicious/noExplicitAny: an introspector sees whatever tables exist
  readonly #db: Kysely<any>;

  // biome-ignore lint/suspicious/noExplicitAny: an introspector sees whatever tables exist
  constructor(db: Kysely<any>) {
    this.#db = db;
  }

  /** Rows of `{ name }`, one per schema. */
  protected abstract schemasQuery(): RawBuilder<{ name: string }>;
  /** Rows of {@link TableNameRow}, one per table or view. */
  protected abstract tablesQuery(): RawBuilder<TableNameRow>;

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await this.schemasQuery().execute(this.#db);
    return rows.map((row) => ({ name: row.name }));
  }

  async getTables(
    options: DatabaseMetadataOptions = { withInternalKyselyTables: false },
  ): Promise<TableMetadata[]> {
    const { rows } = await this.tablesQuery().execute(this.#db);
    return rows
      .filter((row) => options.withInternalKyselyTables || !KYSELY_TABLES.has(row.name))
      .map((row) => ({
        name: row.name,
        schema: row.in_schema,
        isView: Boolean(row.is_view),
        isForeign: false,
        columns: [],
      }));
  }
}
