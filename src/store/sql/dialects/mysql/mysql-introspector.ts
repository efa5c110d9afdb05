/**
 * What Kysely's Migrator asks of the database before migrating: which schemas and tables exist,
 * by name. Kysely's own MySQL introspector answers with a join of
 * `information_schema.columns` and `.tables`, which opens every table of the database; under
 * concurrent DDL (test databases created and dropped, several migrators at once) that query
 * crashed MariaDB 10.11.19 here (signal 11 in `create_tmp_table_for_schema`), reproducibly. Table
 * names alone come from `information_schema.tables` without opening any table.
 * @module
 */
import {
  type DatabaseIntrospector,
  type DatabaseMetadataOptions,
  type Kysely,
  type SchemaMetadata,
  sql,
  type TableMetadata,
} from "kysely";

/** Kysely's default bookkeeping tables, hidden unless `withInternalKyselyTables`. */
const KYSELY_TABLES = new Set(["kysely_migration", "kysely_migration_lock"]);

/** Table names of the connection's database; no column metadata (the Migrator needs none). */
export class TableNamesIntrospector implements DatabaseIntrospector {
  // biome-ignore lint/suspicious/noExplicitAny: an introspector sees whatever tables exist
  readonly #db: Kysely<any>;

  // biome-ignore lint/suspicious/noExplicitAny: an introspector sees whatever tables exist
  constructor(db: Kysely<any>) {
    this.#db = db;
  }

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{
      name: string;
    }>`select schema_name as name from information_schema.schemata`.execute(this.#db);
    return rows.map((row) => ({ name: row.name }));
  }

  async getTables(
    options: DatabaseMetadataOptions = { withInternalKyselyTables: false },
  ): Promise<TableMetadata[]> {
    // Aliases, since MySQL 8 labels information_schema columns in upper case and MariaDB as written.
    const { rows } = await sql<{ name: string; in_schema: string }>`select table_name as name,
      table_schema as in_schema from information_schema.tables where table_schema = database()`.execute(
      this.#db,
    );
    return rows
      .filter((row) => options.withInternalKyselyTables || !KYSELY_TABLES.has(row.name))
      .map((row) => ({
        name: row.name,
        schema: row.in_schema,
        isView: false,
        isForeign: false,
        columns: [],
      }));
  }
}
