/**
 * The POSTGRESQL dialect: a pg pool sized by `pool.size` (+ `pool.overflow`), tables in the
 * `schema` property's schema (search_path set per connection).
 * @module
 */
import { type DatabaseIntrospector, Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { ECacheConfig } from "../../../../base/errors.js";
import { optionalInt, optionalString } from "../../../../base/properties.js";
import type { JobcacheSchema } from "../../schema.js";
import { readServerUrl } from "../server-url.js";
import type { ConnectHooks, DialectInput, DialectSettings, SqlDialect } from "../sql-dialect.js";
import { PostgresAdapter } from "./postgres-adapter.js";
import { PostgresTableNamesIntrospector } from "./postgres-introspector.js";
import { prepareStatementsOnConnect } from "./postgres-prepared.js";

/** Kysely's PostgreSQL dialect with an introspector of names only (postgres-introspector.ts). */
class JobcachePostgresDialect extends PostgresDialect {
  // biome-ignore lint/suspicious/noExplicitAny: the signature of Dialect.createIntrospector
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresTableNamesIntrospector(db);
  }
}

/** Unquoted-identifier rule, so the name reads the same in SQL, search_path and messages. */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** The properties POSTGRESQL reads, besides the protocol's own (sql-config.ts). */
const PROPERTIES = ["postgresql.user", "postgresql.password", "schema"];

/**
 * The password when none is configured: a server that asks for one (and pg's `PGPASSWORD` is
 * unset) gets a clear error naming what to set, instead of pg's bare SASL error.
 */
function unconfiguredPassword(where: string): () => string {
  return () => {
    const fromEnvironment = process.env.PGPASSWORD;
    if (fromEnvironment !== undefined) return fromEnvironment;
    throw new ECacheConfig(
      `The PostgreSQL server ${where} asks for a password, but none is configured: set ` +
        "jobCache.secrets.postgresql.password (or the password in the URL).",
    );
  };
}

function configure(input: DialectInput): DialectSettings {
  const props = input.properties;
  const jdbcUrl = optionalString(props, "jdbcUrl");
  const property = jdbcUrl === undefined ? "url" : "jdbcUrl";
  const urlText = jdbcUrl ?? optionalString(props, "url");
  if (urlText === undefined) {
    throw new ECacheConfig(
      "jobCache.properties.jdbcUrl (//host:5432/database) or url (postgres://user@host:5432/database) " +
        "is required for dialect POSTGRESQL",
    );
  }
  const address = readServerUrl(urlText, property, "postgresql");
  const user = optionalString(props, "postgresql.user") ?? address.user;
  const password =
    input.secrets["postgresql.password"] ?? optionalString(props, "postgresql.password") ?? address.password;
  const poolSize = optionalInt(props, "pool.size", { min: 1, max: 1000, default: 10 });
  const overflow = optionalInt(props, "pool.overflow", { min: 0, max: 1000, default: 0 });
  const connectTimeoutMs = optionalInt(props, "connectTimeoutMs", { min: 1, max: 600_000, default: 10_000 });
  const schema = optionalString(props, "schema") ?? "public";
  if (!SCHEMA_NAME.test(schema)) {
    throw new ECacheConfig(
      `jobCache.properties.schema must be 1-63 letters, digits and _ (not starting with a digit), got ${JSON.stringify(schema)}`,
    );
  }
  const where = `postgresql://${user === undefined ? "" : `${user}@`}${address.host}:${address.port}/${address.database}`;
  return {
    adapter: new PostgresAdapter(),
    target: `${where} (schema ${schema})`,
    namespace: schema,
    async connect(hooks: ConnectHooks): Promise<Kysely<JobcacheSchema>> {
      const pool = new pg.Pool({
        host: address.host,
        port: address.port,
        database: address.database,
        user,
        password: password ?? unconfiguredPassword(where),
        ssl: address.ssl ?? false,
        // Overflow connections above pool.size close again once idle for 10 s.
        max: poolSize + overflow,
        min: poolSize,
        idleTimeoutMillis: 10_000,
        connectionTimeoutMillis: connectTimeoutMs,
        application_name: "jobcache",
        options: `-c search_path="${schema}"`,
      });
      // An idle client whose server went away (restart, failover) emits "error": without a
      // listener that would crash the process; the pool drops the client and opens a new one later.
      pool.on("error", (error) => {
        hooks.logger.warn("jobcache: idle PostgreSQL connection lost", {
          target: where,
          reason: error.message,
        });
      });
      // A client that loses its connection while checked out also emits "error" (besides failing
      // its query); the pool only listens while the client is idle, so listen for its whole life.
      pool.on("connect", (client) => {
        client.on("error", (error) => {
          hooks.logger.debug("jobcache: PostgreSQL connection lost", {
            target: where,
            reason: error.message,
          });
        });
      });
      prepareStatementsOnConnect(pool);
      return new Kysely<JobcacheSchema>({
        dialect: new JobcachePostgresDialect({ pool }),
        ...(hooks.log === undefined ? {} : { log: hooks.log }),
      });
    },
  };
}

/** The POSTGRESQL dialect (pg 8). */
export const postgresDialect: SqlDialect = { names: ["POSTGRESQL"], properties: PROPERTIES, configure };
