import type { PluginConfig } from "../types.js";

/** Where the embedded default keeps its database, relative to the working directory. */
export const EMBEDDED_DATABASE_PATH = ".jobcache/jobcache.db";

/**
 * The config used when none is given: SQLite in one file, which deploys its own schema. Several
 * processes on this machine can share it; for several machines use a database server.
 */
export function embeddedDefaultConfig(path = EMBEDDED_DATABASE_PATH): PluginConfig {
  return { protocol: "JDBC", properties: { dialect: "SQLITE", jdbcUrl: path } };
}
