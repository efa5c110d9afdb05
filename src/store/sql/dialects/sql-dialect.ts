/**
 * What each dialect folder exports from its `<d>-dialect.ts`: it reads the dialect's own
 * properties (URL forms, user, password, pool) and opens a Kysely instance. Driver types stay
 * in the folder; the store only sees `Kysely<JobcacheSchema>` and the adapter.
 * @module
 */
import type { Kysely, LogEvent } from "kysely";
import type { Logger } from "../../../base/logger.js";
import type { Properties } from "../../../base/properties.js";
import type { JobcacheSchema } from "../schema.js";
import type { DialectAdapter } from "./dialect-adapter.js";

/** The raw settings a dialect reads. */
export interface DialectInput {
  /** The dialect name as configured, upper-cased, e.g. `MARIADB` (one module may serve several). */
  readonly dialect: string;
  readonly properties: Properties;
  readonly secrets: Readonly<Record<string, string>>;
}

/** Hooks the store passes when it connects. */
export interface ConnectHooks {
  readonly logger: Logger;
  /** Kysely's query log (tests count statements with it). */
  readonly log?: ((event: LogEvent) => void) | undefined;
}

/** A dialect's settings, checked and ready to connect. */
export interface DialectSettings {
  readonly adapter: DialectAdapter;
  /** Where the database is, for messages and logs: never a password. */
  readonly target: string;
  /** The PostgreSQL schema (or similar namespace) holding the tables; undefined for the default. */
  readonly namespace: string | undefined;
  /** Opens the pool (or file). Nothing is sent to the database before the first query. */
  connect(hooks: ConnectHooks): Promise<Kysely<JobcacheSchema>>;
}

/** One dialect family (e.g. MYSQL and MARIADB share a module). */
export interface SqlDialect {
  /** Dialect names served, upper-case: `["POSTGRESQL"]`. */
  readonly names: readonly string[];
  /**
   * Every property (and secret) name the dialect reads; the protocol's own are added by
   * sql-config.ts. A name ending in `.*` keeps that prefix open (options passed to the driver).
   */
  readonly properties: readonly string[];
  /** Reads and checks the properties; throws `ECacheConfig` naming what to set. */
  configure(input: DialectInput): DialectSettings;
}
