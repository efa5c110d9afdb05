/**
 * The MYSQL and MARIADB dialects: a mysql2 pool sized by `pool.size` (+ `pool.overflow`), every
 * connection in UTC and READ COMMITTED (mysql-session.ts). MariaDB is the same module with
 * another adapter (its extra RETURNING forms).
 * @module
 */
import { type DatabaseIntrospector, Kysely, MysqlDialect } from "kysely";
import { createPool, type Pool, type PoolOptions } from "mysql2";
import { ECacheConfig } from "../../../../base/errors.js";
import type { Logger } from "../../../../base/logger.js";
import { optionalInt, optionalString } from "../../../../base/properties.js";
import type { JobcacheSchema } from "../../schema.js";
import { readServerUrl, type ServerAddress } from "../server-url.js";
import type { ConnectHooks, DialectInput, DialectSettings, SqlDialect } from "../sql-dialect.js";
import { MariadbStoreAdapter, MysqlStoreAdapter } from "./mysql-adapter.js";
import { MysqlTableNamesIntrospector } from "./mysql-introspector.js";
import { initialiseSession } from "./mysql-session.js";

/** Overflow connections above `pool.size` close once idle this long. */
const OVERFLOW_IDLE_MS = 10_000;

/** Kysely's MySQL dialect with an introspector that never opens tables (mysql-introspector.ts). */
class JobcacheMysqlDialect extends MysqlDialect {
  // biome-ignore lint/suspicious/noExplicitAny: the signature of Dialect.createIntrospector
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new MysqlTableNamesIntrospector(db);
  }
}

/** The properties MYSQL and MARIADB read, besides the protocol's own (sql-config.ts). */
const PROPERTIES = ["mysql.user", "mysql.password", "mariadb.user", "mariadb.password"];

/** Property prefixes, own dialect first: `mysql.user` and `mariadb.user` both work for either. */
function prefixes(dialect: string): readonly string[] {
  return dialect === "MARIADB" ? ["mariadb", "mysql"] : ["mysql", "mariadb"];
}

function firstOf(values: readonly (string | undefined)[]): string | undefined {
  return values.find((value) => value !== undefined);
}

function readAddress(input: DialectInput): { address: ServerAddress; property: string } {
  const props = input.properties;
  const jdbcUrl = optionalString(props, "jdbcUrl");
  const property = jdbcUrl === undefined ? "url" : "jdbcUrl";
  const text = jdbcUrl ?? optionalString(props, "url");
  if (text === undefined) {
    throw new ECacheConfig(
      `jobCache.properties.jdbcUrl (//host:3306/database) or url (mysql://user@host:3306/database) ` +
        `is required for dialect ${input.dialect}`,
    );
  }
  return { address: readServerUrl(text, property, "mysql"), property };
}

/** Logs idle connections that die (server restart): without a listener mysql2 could crash the process. */
function watchConnections(pool: Pool, logger: Logger, target: string): void {
  pool.on("connection", (connection) => {
    connection.on("error", (error: Error & { code?: string }) => {
      // mysql2 is given the password as a field: its messages never hold it
      logger.warn("jobcache: MySQL connection lost", { target, code: error.code, reason: error.message });
    });
  });
}

function configure(input: DialectInput): DialectSettings {
  const props = input.properties;
  const { address, property } = readAddress(input);
  const names = prefixes(input.dialect);
  const user = firstOf([...names.map((prefix) => optionalString(props, `${prefix}.user`)), address.user]);
  if (user === undefined) {
    throw new ECacheConfig(
      `jobCache.properties.${names[0]}.user is required for dialect ${input.dialect} ` +
        `(or put the user in ${property}: mysql://user@host:3306/database)`,
    );
  }
  const password = firstOf([
    ...names.map((prefix) => input.secrets[`${prefix}.password`]),
    ...names.map((prefix) => optionalString(props, `${prefix}.password`)),
    address.password,
  ]);
  const poolSize = optionalInt(props, "pool.size", { min: 1, max: 1000, default: 10 });
  const overflow = optionalInt(props, "pool.overflow", { min: 0, max: 1000, default: 0 });
  const connectTimeoutMs = optionalInt(props, "connectTimeoutMs", { min: 1, max: 600_000, default: 10_000 });
  const scheme = input.dialect === "MARIADB" ? "mariadb" : "mysql";
  const target = `${scheme}://${user}@${address.host}:${address.port}/${address.database}`;
  const options: PoolOptions = {
    host: address.host,
    port: address.port,
    database: address.database,
    user,
    password,
    ...(address.ssl === undefined ? {} : { ssl: { ...address.ssl } }),
    charset: "utf8mb4",
    connectionLimit: poolSize + overflow,
    maxIdle: poolSize,
    idleTimeout: OVERFLOW_IDLE_MS,
    connectTimeout: connectTimeoutMs,
    enableKeepAlive: true,
    // BIGINT microseconds stay numbers (2^53 us is 285 years); DECIMALs are never selected.
    supportBigNumbers: false,
    // mysql2's default FOUND_ROWS flag is kept: affectedRows counts rows the WHERE matched, the
    // compare-and-set meaning the operations read, even when an UPDATE writes the same values.
    multipleStatements: false,
  };
  return {
    adapter: input.dialect === "MARIADB" ? new MariadbStoreAdapter() : new MysqlStoreAdapter(),
    target,
    namespace: undefined,
    async connect(hooks: ConnectHooks): Promise<Kysely<JobcacheSchema>> {
      // The text protocol, also on MariaDB: server-side prepared statements (mysql2 `execute`) would
      // save the parse of each statement, but MariaDB 10.11 crashed (signal 11 in Prepared_statement::execute)
      // on the store's prepared multi-table UPDATE under load. A driver must never crash a server.
      const pool = createPool(options);
      watchConnections(pool, hooks.logger, target);
      return new Kysely<JobcacheSchema>({
        dialect: new JobcacheMysqlDialect({ pool, onCreateConnection: initialiseSession }),
        ...(hooks.log === undefined ? {} : { log: hooks.log }),
      });
    },
  };
}

/** The MYSQL and MARIADB dialects (mysql2 3). */
export const mysqlDialect: SqlDialect = { names: ["MYSQL", "MARIADB"], properties: PROPERTIES, configure };
