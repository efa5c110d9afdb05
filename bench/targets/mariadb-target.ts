/**
 * MARIADB in a database of its own on the server of JOBCACHE_BENCH_MYSQL_URL (default the local
 * test server), dropped afterwards. Skipped with a note when the server does not answer.
 * @module
 */
import { randomBytes } from "node:crypto";
import mysql from "mysql2/promise";
import type { TargetOutcome } from "./bench-target.js";
import { openSqlBenchStore } from "./sql-bench-store.js";

const DEFAULT_URL = "mysql://root@127.0.0.1:3306/test";

/** The server URL the benchmark uses. */
export function mariadbBenchUrl(): string {
  return process.env.JOBCACHE_BENCH_MYSQL_URL ?? process.env.JOBCACHE_TEST_MYSQL_URL ?? DEFAULT_URL;
}

/** Where the server is, without user or password. */
function where(url: URL): string {
  return `${url.hostname}:${url.port || "3306"}`;
}

/** Runs one statement on the server of `url` over a connection of its own. */
export async function onServer(url: string, statement: string): Promise<void> {
  const connection = await mysql.createConnection({ uri: url, connectTimeout: 3_000 });
  try {
    await connection.query(statement);
  } finally {
    await connection.end();
  }
}

/** Opens MARIADB in a new database, or says why not. */
export async function openMariadbTarget(): Promise<TargetOutcome> {
  const serverUrl = mariadbBenchUrl();
  const name = `jc_bench_${randomBytes(4).toString("hex")}`;
  try {
    await onServer(serverUrl, `create database \`${name}\``);
  } catch (error) {
    const reason =
      error instanceof Error ? ((error as { code?: string }).code ?? error.message) : String(error);
    return {
      skipped:
        `MariaDB at ${where(new URL(serverUrl))} is not available (${reason}). Start it (e.g. ` +
        "`start-stop-daemon --start --background --exec /usr/sbin/mariadbd`) or point " +
        "JOBCACHE_BENCH_MYSQL_URL at a server.",
    };
  }
  const dropDatabase = () => onServer(serverUrl, `drop database if exists \`${name}\``);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    const store = await openSqlBenchStore({
      protocol: "JDBC",
      properties: { dialect: "MARIADB", url: url.href, autoDeploy: "true" },
    });
    const flush = await store.queryText("select @@innodb_flush_log_at_trx_commit");
    const isolation = await store.queryText("select @@tx_isolation");
    const logBin = await store.queryText("select @@log_bin");
    return {
      open: {
        manager: store.manager,
        version: `MariaDB ${(await store.queryText("select version()")).split("-")[0]} (driver mysql2)`,
        settings:
          `innodb_flush_log_at_trx_commit=${flush}, ${isolation}, log_bin=${logBin === "1" ? "ON" : "OFF"}, ` +
          `database ${name} at ${where(url)}, TCP`,
        baselines: [store.roundTrip, await store.commitBaseline()],
        batch: 1,
        statements: store.statements,
        analyze: () => store.execute("analyze table jobcache_entry, jobcache_lease"),
        async close() {
          await store.manager.close();
          await dropDatabase();
        },
      },
    };
  } catch (error) {
    await dropDatabase().catch(() => {});
    throw error;
  }
}
