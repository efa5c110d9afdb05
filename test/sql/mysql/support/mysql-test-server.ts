/**
 * The MariaDB server for MySQL/MariaDB tests: JOBCACHE_TEST_MYSQL_URL (default: the shared server
 * at 127.0.0.1:3306, root, database test). If it does not answer, a throwaway server is started
 * for this test file when mariadbd is installed; if it is not, the tests report "not run" with
 * the install command (also with JOBCACHE_TEST_MYSQL_FALLBACK=off). Under CI=true the shared
 * server must answer.
 */
import mysql from "mysql2/promise";
import {
  canStartMariadb,
  INSTALL_MARIADB,
  startThrowawayMariadb,
  type ThrowawayMariadb,
} from "./throwaway-mariadb.js";

const DEFAULT_URL = "mysql://root@127.0.0.1:3306/test";

/** Where the tests run, or why they cannot. */
export type MysqlTestServer = { readonly url: string } | { readonly url: undefined; readonly notRun: string };

let resolved: Promise<MysqlTestServer> | undefined;
let fallback: ThrowawayMariadb | undefined;

/** A URL with its password hidden, for messages. */
export function hidePassword(url: string): string {
  return url.replace(/(\/\/[^:/@]*):[^@/]*@/, "$1:***@");
}

async function answers(url: string): Promise<boolean> {
  try {
    const connection = await mysql.createConnection({ uri: url, connectTimeout: 3_000 });
    await connection.query("select 1");
    await connection.end();
    return true;
  } catch {
    return false;
  }
}

async function resolve(): Promise<MysqlTestServer> {
  const url = process.env.JOBCACHE_TEST_MYSQL_URL ?? DEFAULT_URL;
  if (await answers(url)) return { url };
  if (process.env.CI === "true") {
    throw new Error(`CI=true and the MariaDB/MySQL server for tests does not answer at ${hidePassword(url)}`);
  }
  // JOBCACHE_TEST_MYSQL_FALLBACK=off: no throwaway server (shows what a machine without MariaDB reports).
  const noFallback = process.env.JOBCACHE_TEST_MYSQL_FALLBACK === "off";
  if (noFallback || !canStartMariadb()) {
    const why = noFallback
      ? "no throwaway server (JOBCACHE_TEST_MYSQL_FALLBACK=off)"
      : "mariadbd is not installed";
    return {
      url: undefined,
      notRun: `no MariaDB answers at ${hidePassword(url)} and ${why}: install it with \`${INSTALL_MARIADB}\` or set JOBCACHE_TEST_MYSQL_URL`,
    };
  }
  fallback = await startThrowawayMariadb();
  return { url: fallback.url };
}

/** The server of this test file (a URL with a database), or why MySQL tests are not run. */
export function mysqlTestServer(): Promise<MysqlTestServer> {
  resolved ??= resolve();
  return resolved;
}

/** Stops the fallback server if this file started one (call from afterAll). */
export async function stopFallbackMariadb(): Promise<void> {
  await fallback?.destroy();
  fallback = undefined;
  resolved = undefined;
}
