/**
 * Where a database's schema stands against the migrations this version knows: one SELECT of
 * Kysely Migrator's table, so a role with DML rights only can check it.
 * @module
 */
import type { SqlConnection } from "./connect.js";
import { MIGRATION_NAMES } from "./migrations/index.js";
import { withRetry } from "./retry/retry-policy.js";
import { toCacheError } from "./retry/to-cache-error.js";
import { MIGRATION_TABLE } from "./schema.js";

/** Where a database's schema stands against this version of jobcache. */
export interface SchemaStatus {
  /** The database, without secrets. */
  readonly target: string;
  /** `missing`: never deployed; `outdated`: migrations pending; `newer`: deployed by a newer version. */
  readonly state: "missing" | "outdated" | "current" | "newer";
  readonly applied: readonly string[];
  readonly pending: readonly string[];
  /** Applied migrations this version does not know (a newer jobcache deployed them). */
  readonly unknown: readonly string[];
}

/** Reads the applied migrations: one SELECT that needs no DDL rights. */
export async function readSchemaStatus(connection: SqlConnection): Promise<SchemaStatus> {
  const target = connection.config.settings.target;
  const applied = await withRetry(connection.retry, "schema status", async () => {
    try {
      const rows = await connection.db.selectFrom(MIGRATION_TABLE).select("name").orderBy("name").execute();
      return rows.map((row) => row.name);
    } catch (error) {
      if (connection.adapter.classifyError(error) === "missing-schema") return undefined;
      throw error;
    }
  }).catch((error: unknown) => {
    throw toCacheError(error, connection.failure("reading the schema version"));
  });
  if (applied === undefined)
    return { target, state: "missing", applied: [], pending: [...MIGRATION_NAMES], unknown: [] };
  const pending = MIGRATION_NAMES.filter((name) => !applied.includes(name));
  const unknown = applied.filter((name) => !MIGRATION_NAMES.includes(name));
  const state =
    pending.length > 0
      ? applied.length === 0
        ? "missing"
        : "outdated"
      : unknown.length > 0
        ? "newer"
        : "current";
  return { target, state, applied, pending, unknown };
}
