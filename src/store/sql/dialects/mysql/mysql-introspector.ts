/**
 * MySQL's catalog of names for the Migrator. Kysely's own MySQL introspector joins
 * `information_schema.columns` and `.tables`, which opens every table of the database; under
 * concurrent DDL (test databases created and dropped, several migrators at once) that query
 * crashed MariaDB 10.11.19 here (signal 11 in `create_tmp_table_for_schema`), reproducibly.
 * Table names alone come from `information_schema.tables` without opening any table.
 * @module
 */
import { type RawBuilder, sql } from "kysely";
import { type TableNameRow, TableNamesIntrospector } from "../table-names-introspector.js";

/** Schema names, and the table names of the connection's database. */
export class MysqlTableNamesIntrospector extends TableNamesIntrospector {
  protected schemasQuery(): RawBuilder<{ name: string }> {
    return sql<{ name: string }>`select schema_name as name from information_schema.schemata`;
  }

  protected tablesQuery(): RawBuilder<TableNameRow> {
    // Aliases, since MySQL 8 labels information_schema columns in upper case and MariaDB as written.
    return sql<TableNameRow>`select table_name as name, table_schema as in_schema,
      table_type = 'VIEW' as is_view from information_schema.tables where table_schema = database()`;
  }
}
