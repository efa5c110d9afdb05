/**
 * The `JDBC` / `SQL` protocol: a job store on SQLite, PostgreSQL (and, from their dialect
 * folder, MySQL / MariaDB). Properties are described in docs/dialects.md.
 * @module
 */
import type { PluginConfig } from "../../base/types.js";
import type { JobCachePlugin, PluginContext } from "../store.js";
import { readSqlConfig } from "./config/sql-config.js";
import { openConnection, type SqlInternals } from "./connect.js";
import { ensureSchema } from "./migrate.js";
import { SqlStore } from "./sql-store.js";

/**
 * Opens a SQL store: checks the properties, connects, checks (or, with `autoDeploy`, deploys)
 * the schema. `internals` are for tests and tools (query log, capability overrides).
 * @throws ECacheConfig for a wrong property or an undeployed / older schema
 * @throws ECacheUnavailable when the database cannot be reached
 */
export async function openSqlStore(
  config: PluginConfig,
  context: PluginContext,
  internals: SqlInternals = {},
): Promise<SqlStore> {
  const connection = await openConnection(await readSqlConfig(config), context.logger, internals);
  try {
    await ensureSchema(connection);
  } catch (error) {
    await connection.close();
    throw error;
  }
  context.logger.info("jobcache: SQL store ready", { target: connection.config.settings.target });
  return new SqlStore(connection);
}

/**
 * The JDBC / SQL plugin.
 * @example
 * registerJobCachePlugin(sqlPlugin);
 * const manager = await createJobCacheManager({
 *   protocol: "JDBC",
 *   properties: { dialect: "POSTGRESQL", jdbcUrl: "//db:5432/jobs", "postgresql.user": "app" },
 *   secrets: { "postgresql.password": process.env.DB_PASSWORD ?? "" },
 * });
 */
export const sqlPlugin: JobCachePlugin = {
  protocols: ["JDBC", "SQL"],
  createStore: (config, context) => openSqlStore(config, context),
  checkConfig: async (config) => {
    const { settings, printable } = await readSqlConfig(config);
    return { target: settings.target, printable };
  },
};
