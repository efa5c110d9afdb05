/**
 * One database of its own per test file (or conformance test) on the MariaDB test server:
 * `jc_<hash>_<random>`, dropped afterwards, so the shared server is left as found.
 */
import { createHash, randomBytes } from "node:crypto";
import mysql from "mysql2/promise";
import type { PluginConfig } from "../../../../src/base/types.js";

/** The two dialect names served by the mysql dialect folder. */
export type MysqlTestDialect = "MYSQL" | "MARIADB";

/** A fresh, empty database on a server. */
export interface MysqlTestDatabase {
  readonly name: string;
  /** The server URL with this database. */
  readonly url: string;
  /**
   * A JDBC config as a TRAC platform config writes it: `jdbcUrl: //host:port/db`, `<d>.user`,
   * the password under `secrets` (names as the dialect reads them).
   */
  config(dialect: MysqlTestDialect, properties?: Record<string, string>): PluginConfig;
  /** A plain connection of the test's own to this database (closed by `drop`). */
  admin(): Promise<mysql.Connection>;
  /** Drops the database and closes the admin connection. */
  drop(): Promise<void>;
}

/** A database name for `label`: hashed (stable per file) plus random (unique per run). */
export function databaseName(label: string): string {
  const hash = createHash("sha1").update(label).digest("hex").slice(0, 8);
  return `jc_${hash}_${randomBytes(3).toString("hex")}`;
}

function withDatabase(serverUrl: string, database: string): URL {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url;
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const connection = await mysql.createConnection({ uri: serverUrl });
  try {
    await connection.query(statement);
  } finally {
    await connection.end();
  }
}

/** Creates `jc_<hash>_<random>` on the server of `serverUrl`. */
export async function createMysqlTestDatabase(serverUrl: string, label: string): Promise<MysqlTestDatabase> {
  const name = databaseName(label);
  await onServer(serverUrl, `create database \`${name}\``);
  const url = withDatabase(serverUrl, name);
  let admin: Promise<mysql.Connection> | undefined;
  return {
    name,
    url: url.href,
    config(dialect, properties = {}) {
      const prefix = dialect.toLowerCase();
      return {
        protocol: "JDBC",
        properties: {
          dialect,
          jdbcUrl: `//${url.hostname}:${url.port || "3306"}/${name}`,
          [`${prefix}.user`]: decodeURIComponent(url.username),
          "pool.size": "4",
          ...properties,
        },
        secrets: url.password === "" ? {} : { [`${prefix}.password`]: decodeURIComponent(url.password) },
      };
    },
    admin() {
      admin ??= mysql.createConnection({ uri: url.href });
      return admin;
    },
    async drop() {
      if (admin !== undefined) await (await admin).end();
      admin = undefined;
      await onServer(serverUrl, `drop database if exists \`${name}\``);
    },
  };
}

/** Moves every lease of the database `ms` into the past, as if the database clock had advanced. */
export async function backdateMysqlLeases(connection: mysql.Connection, ms: number): Promise<void> {
  const micros = Math.round(ms * 1000);
  await connection.query(
    "update jobcache_lease set grant_time = grant_time - ?, heartbeat_time = heartbeat_time - ?, expiry = expiry - ?",
    [micros, micros, micros],
  );
}
