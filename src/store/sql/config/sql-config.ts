/**
 * Reads the JDBC/SQL protocol's properties: the dialect-independent ones here, the rest by the
 * dialect's `configure`. Everything is checked before the first connection.
 * @module
 */
import { optionalBool, optionalInt, requireProperty } from "../../../base/properties.js";
import type { PluginConfig } from "../../../base/types.js";
import { loadDialect, normaliseDialect } from "../dialects/index.js";
import type { DialectSettings } from "../dialects/sql-dialect.js";
import type { RetryPolicy } from "../retry/retry-policy.js";

/** The checked configuration of one SQL store. */
export interface SqlStoreConfig {
  /** Canonical dialect name, e.g. `POSTGRESQL`. */
  readonly dialect: string;
  /**
   * Deploy or upgrade the schema when the store is created. Default true for embedded databases
   * (SQLITE), false for servers, where `jobcache db deploy` runs with a DDL-capable user.
   */
  readonly autoDeploy: boolean;
  readonly retry: RetryPolicy;
  readonly settings: DialectSettings;
}

/**
 * Checks `config.properties` and `config.secrets` for the JDBC/SQL protocol.
 * @throws ECacheConfig naming the property to set and the form expected
 * @example
 * await readSqlConfig({ protocol: "JDBC", properties: { dialect: "SQLITE", jdbcUrl: "jobs.db" } });
 */
export async function readSqlConfig(config: PluginConfig): Promise<SqlStoreConfig> {
  const properties = config.properties ?? {};
  const dialect = normaliseDialect(requireProperty(properties, "dialect", config.protocol));
  const module = await loadDialect(dialect);
  const settings = module.configure({ dialect, properties, secrets: config.secrets ?? {} });
  const retries = optionalInt(properties, "retry.attempts", { min: 1, max: 100, default: 6 });
  return {
    dialect,
    autoDeploy: optionalBool(properties, "autoDeploy", { default: settings.adapter.embedded }),
    retry: {
      retries: retries - 1,
      minDelayMs: optionalInt(properties, "retry.minDelayMs", { min: 0, max: 60_000, default: 20 }),
      maxDelayMs: optionalInt(properties, "retry.maxDelayMs", { min: 1, max: 600_000, default: 1_000 }),
    },
    settings,
  };
}
