/**
 * Schema deployment and version checks, for `jobcache db deploy` / `jobcache db status` and for
 * the store's start-up check. Kysely's Migrator applies the numbered migrations under each
 * dialect's lock (PostgreSQL: an advisory lock; SQLite: one BEGIN IMMEDIATE transaction), so
 * several processes may deploy at once.
 * @module
 */
import { Migrator } from "kysely/migration";
import { ECache, ECacheConfig } from "../../base/errors.js";
import { type Logger, silentLogger } from "../../base/logger.js";
import type { PluginConfig } from "../../base/types.js";
import { readSqlConfig } from "./config/sql-config.js";
import { openConnection, type SqlConnection, type SqlInternals } from "./connect.js";
import { migrationProvider } from "./migrations/index.js";
import { withRetry } from "./retry/retry-policy.js";
import { DEPLOY_COMMAND, toCacheError } from "./retry/to-cache-error.js";
import { MIGRATION_LOCK_TABLE, MIGRATION_TABLE } from "./schema.js";
import { readSchemaStatus, type SchemaStatus } from "./schema-status.js";

export type { SchemaStatus } from "./schema-status.js";

/** What a deploy did. */
export interface DeployResult {
  readonly target: string;
  /** Migrations applied by this run (empty when the schema was already current). */
  readonly applied: readonly string[];
  readonly status: SchemaStatus;
}

/** Applies every pending migration; returns the names applied by this call. */
async function migrateToLatest(connection: SqlConnection): Promise<string[]> {
  const migrator = new Migrator({
    db: connection.db,
    provider: migrationProvider(connection.adapter),
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    ...(connection.config.settings.namespace === undefined
      ? {}
      : { migrationTableSchema: connection.config.settings.namespace }),
  });
  const run = await withRetry(connection.retry, "deploy schema", async () => {
    const { error, results = [] } = await migrator.migrateToLatest();
    if (error !== undefined) throw error;
    return results;
  }).catch((error: unknown) => {
    const mapped = toCacheError(error, connection.failure("deploying the schema"));
    if (mapped.constructor !== ECache) throw mapped;
    throw new ECacheConfig(
      `Deploying the job cache schema to ${connection.config.settings.target} failed: ${mapped.message}`,
      {
        cause: error,
      },
    );
  });
  const applied = run.filter((result) => result.status === "Success").map((result) => result.migrationName);
  for (const name of applied) connection.logger.info("jobcache: applied migration", { migration: name });
  return applied;
}

/**
 * The store's start-up check: deploys when `autoDeploy` is on, else fails on a missing or older
 * schema with the command that fixes it. A newer schema is accepted with a warning: migrations
 * only add, so older code keeps working during a rolling upgrade.
 */
export async function ensureSchema(connection: SqlConnection): Promise<void> {
  const status = await readSchemaStatus(connection);
  if (status.state === "newer") {
    connection.logger.warn("jobcache: the database schema is newer than this version", {
      unknown: status.unknown,
    });
  }
  if (status.state !== "missing" && status.state !== "outdated") return;
  if (connection.config.autoDeploy) {
    await migrateToLatest(connection);
    return;
  }
  const what =
    status.state === "missing"
      ? "has no job cache schema"
      : `has an older job cache schema (pending: ${status.pending.join(", ")})`;
  throw new ECacheConfig(
    `The database ${status.target} ${what}. Deploy it with \`${DEPLOY_COMMAND}\` ` +
      "(as a user allowed to create tables), or set jobCache.properties.autoDeploy: true.",
  );
}

async function withConnection<T>(
  config: PluginConfig,
  options: { logger?: Logger; internals?: SqlInternals },
  use: (connection: SqlConnection) => Promise<T>,
): Promise<T> {
  const connection = await openConnection(
    await readSqlConfig(config),
    options.logger ?? silentLogger,
    options.internals,
  );
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}

/**
 * Deploys or upgrades the schema of a JDBC/SQL job cache config (`jobcache db deploy`).
 * @example
 * const result = await deploySchema(platformConfig.jobCache);
 * console.log(result.applied); // ["0001-create-tables"] the first time, [] after
 */
export async function deploySchema(
  config: PluginConfig,
  options: { logger?: Logger; internals?: SqlInternals } = {},
): Promise<DeployResult> {
  return withConnection(config, options, async (connection) => {
    const applied = await migrateToLatest(connection);
    return { target: connection.config.settings.target, applied, status: await readSchemaStatus(connection) };
  });
}

/**
 * Reports the schema state of a JDBC/SQL job cache config (`jobcache db status`); changes nothing.
 * @example
 * const status = await schemaStatus(platformConfig.jobCache);
 * if (status.state !== "current") console.log(`run: jobcache db deploy --config FILE`);
 */
export async function schemaStatus(
  config: PluginConfig,
  options: { logger?: Logger; internals?: SqlInternals } = {},
): Promise<SchemaStatus> {
  return withConnection(config, options, readSchemaStatus);
}
