/**
 * The migrations of the SQL store, in order, for Kysely's Migrator. Names sort in application
 * order; a released migration never changes.
 * @module
 */
import type { Migration, MigrationProvider } from "kysely/migration";
import type { DialectAdapter } from "../dialects/dialect-adapter.js";
import { createTables } from "./0001-create-tables.js";
import { addLeaseHolder } from "./0002-lease-holder.js";

const MIGRATIONS: Readonly<Record<string, (adapter: DialectAdapter) => Migration>> = {
  "0001-create-tables": createTables,
  "0002-lease-holder": addLeaseHolder,
};

/** Every migration name this version knows, in order: the last is the schema version it needs. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS).sort();

/** A provider of the migrations for `adapter`'s dialect. */
export function migrationProvider(adapter: DialectAdapter): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return Object.fromEntries(MIGRATION_NAMES.map((name) => [name, MIGRATIONS[name]!(adapter)]));
    },
  };
}
