/**
 * Reads the JDBC/SQL protocol's properties: the dialect-independent ones here, the rest by the
 * dialect's `configure`. Everything is checked before the first connection.
 * @module
 */
import {
  checkKnownProperties,
  optionalBool,
  optionalInt,
  propertyStrings,
  requireProperty,
} from "../../../base/properties.js";
import type { PluginConfig } from "../../../base/types.js";
import { loadDialect, normaliseDialect } from "../dialects/index.js";
import { redactServerUrl } from "../dialects/server-url.js";
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
  /** Properties as they may be printed: URL passwords hidden by the reader that connects. */
  readonly printable: Readonly<Record<string, string>>;
}

/**
 * The protocol's own properties, accepted for every dialect. `maxValueBytes` is the generic value
 * size limit, read by the JobCache layer above the store. The pool settings are read by the server
 * dialects; SQLite (one connection) accepts them too, so one config can switch dialects.
 */
const PROTOCOL_PROPERTIES = [
  "dialect",
  "jdbcUrl",
  "url",
  "autoDeploy",
  "retry.attempts",
  "retry.minDelayMs",
  "retry.maxDelayMs",
  "maxValueBytes",
  "pool.size",
  "pool.overflow",
  "connectTimeoutMs",
];

/** The server dialects, whose URLs the one server-URL reader reads. */
const SERVER_KINDS: Readonly<Record<string, "postgresql" | "mysql">> = {
  POSTGRESQL: "postgresql",
  MYSQL: "mysql",
  MARIADB: "mysql",
};

function printableUrls(
  dialect: string,
  properties: Readonly<Record<string, string>>,
): Record<string, string> {
  const kind = SERVER_KINDS[dialect];
  if (kind === undefined) return {};
  const entries = ["url", "jdbcUrl"].flatMap((name) => {
    const text = properties[name];
    const redacted = text === undefined ? undefined : redactServerUrl(text.trim(), kind);
    return redacted === undefined ? [] : [[name, redacted] as const];
  });
  return Object.fromEntries(entries);
}

/**
 * Checks `config.properties` and `config.secrets` for the JDBC/SQL protocol.
 * @throws ECacheConfig naming the property to set and the form expected
 * @example
 * await readSqlConfig({ protocol: "JDBC", properties: { dialect: "SQLITE", jdbcUrl: "jobs.db" } });
 */
export async function readSqlConfig(config: PluginConfig): Promise<SqlStoreConfig> {
  const properties = propertyStrings(config.properties);
  const dialect = normaliseDialect(requireProperty(properties, "dialect", config.protocol));
  const module = await loadDialect(dialect);
  const known = [...PROTOCOL_PROPERTIES, ...module.properties];
  const where = `protocol ${config.protocol}, dialect ${dialect}`;
  checkKnownProperties(properties, known, where);
  checkKnownProperties(config.secrets, known, where, "secrets");
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
    printable: printableUrls(dialect, properties),
  };
}
