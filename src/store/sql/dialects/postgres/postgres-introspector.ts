/**
 * PostgreSQL's catalog of names for the Migrator: plain reads of pg_namespace and pg_class see
 * one snapshot and resolve no names, so a schema dropped meanwhile cannot fail them (Kysely's
 * own introspector failed so in CI; test/sql/deploy-beside-drops.test.ts).
 * @module
 */
import { type RawBuilder, sql } from "kysely";
import { type TableNameRow, TableNamesIntrospector } from "../table-names-introspector.js";

/** Schema and table names of the database. */
export class PostgresTableNamesIntrospector extends TableNamesIntrospector {
  protected schemasQuery(): RawBuilder<{ name: string }> {
    return sql<{ name: string }>`select nspname as name from pg_catalog.pg_namespace`;
  }

  protected tablesQuery(): RawBuilder<TableNameRow> {
    return sql<TableNameRow>`select c.relname as name, n.nspname as in_schema, c.relkind in ('v', 'm') as is_view
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p', 'v', 'm')
        and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'`;
  }
}
