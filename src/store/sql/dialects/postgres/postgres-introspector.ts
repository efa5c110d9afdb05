/**
 * What Kysely's Migrator asks of the database before migrating: which schemas and tables exist,
 * by name. Kysely's own PostgreSQL introspector reads every column of every table and calls
 * name-resolving functions on them; when another schema of the database is dropped while that
 * query runs (test schemas, tenants), it fails with "schema ... does not exist". Plain catalog
 * reads of names see one consistent snapshot and never resolve names, so they cannot fail so.
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

/** Schema and table names; no column metadata (the Migrator needs none). */
export class PostgresTableNamesIntrospector implements DatabaseIntrospector {
  // biome-ignore lint/suspicious/noExplicitAny: an introspector sees whatever tables exist
  readonly #db: Kysely<any>;

  // biome-ignore lint/suspicious/noExplicitAny: an introspector sees whatever tables exist
  constructor(db: Kysely<any>) {
    this.#db = db;
  }

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`select nspname as name from pg_catalog.pg_namespace`.execute(
      this.#db,
    );
    return rows.map((row) => ({ name: row.name }));
  }

  async getTables(
    options: DatabaseMetadataOptions = { withInternalKyselyTables: false },
  ): Promise<TableMetadata[]> {
    const { rows } = await sql<{ name: string; in_schema: string; kind: string }>`select c.relname as name,
        n.nspname as in_schema, c.relkind as kind
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p', 'v', 'm', 'f')
        and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'`.execute(
      this.#db,
    );
    return rows
      .filter((row) => options.withInternalKyselyTables || !KYSELY_TABLES.has(row.name))
      .map((row) => ({
        name: row.name,
        schema: row.in_schema,
        isView: row.kind === "v" || row.kind === "m",
        isForeign: row.kind === "f",
        columns: [],
      }));
  }
}
