/**
 * A place of its own on a server for one group of scenarios: a new PostgreSQL schema or MariaDB
 * database (dropped afterwards), with the store's schema and the TRAC replay's tables deployed,
 * and the config every process of the scenario opens its manager with.
 * @module
 */
import { randomBytes } from "node:crypto";
import type { PluginConfig } from "../../src/index.js";
import { mariadbBenchUrl, onServer } from "../targets/mariadb-target.js";
import { adminQuery, postgresBenchUrl } from "../targets/postgres-target.js";
import { openSqlBenchStore, type SqlBenchStore } from "../targets/sql-bench-store.js";
import { createReplayTables } from "./trac-replay.js";

/** The servers the scenarios run on. */
export type ServerName = "POSTGRESQL" | "MARIADB";

/** A schema or database of the scenarios' own. */
export interface ScenarioPlace {
  readonly server: ServerName;
  /** What `createJobCacheManager` is given (autoDeploy on); add `pool.size` per process. */
  readonly config: PluginConfig;
  /** The server URL with the place selected: PostgreSQL's peers use it with `schema`. */
  readonly url: string;
  /** PostgreSQL: the schema name; MariaDB: the database name. */
  readonly name: string;
  /** Opens a store (manager + Kysely over its pool) with `poolSize` connections. */
  open(poolSize: number): Promise<SqlBenchStore>;
  /** Drops the schema or database. */
  drop(): Promise<void>;
}

function withPool(config: PluginConfig, poolSize: number): PluginConfig {
  return { ...config, properties: { ...config.properties, "pool.size": String(poolSize) } };
}

/** Creates a place on `server`, deploys both sets of tables; a reason string when the server is down. */
export async function createPlace(server: ServerName): Promise<ScenarioPlace | string> {
  const name = `jc_scen_${randomBytes(4).toString("hex")}`;
  let place: ScenarioPlace;
  try {
    if (server === "POSTGRESQL") {
      const url = postgresBenchUrl();
      await adminQuery(url, `create schema "${name}"`);
      place = {
        server,
        name,
        url,
        config: {
          protocol: "JDBC",
          properties: { dialect: "POSTGRESQL", url, schema: name, autoDeploy: "true" },
        },
        open: (poolSize) => openSqlBenchStore(withPool(place.config, poolSize)),
        drop: () => adminQuery(url, `drop schema if exists "${name}" cascade`),
      };
    } else {
      const serverUrl = mariadbBenchUrl();
      await onServer(serverUrl, `create database \`${name}\``);
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      place = {
        server,
        name,
        url: url.href,
        config: { protocol: "JDBC", properties: { dialect: "MARIADB", url: url.href, autoDeploy: "true" } },
        open: (poolSize) => openSqlBenchStore(withPool(place.config, poolSize)),
        drop: () => onServer(serverUrl, `drop database if exists \`${name}\``),
      };
    }
  } catch (error) {
    return `${server} is not available (${error instanceof Error ? error.message : String(error)})`;
  }
  try {
    const store = await place.open(1);
    try {
      await createReplayTables(store.db);
    } finally {
      await store.manager.close();
    }
  } catch (error) {
    await place.drop().catch(() => {});
    throw error;
  }
  return place;
}
