/**
 * Per-file SQL stores on a database of the file's own on the MariaDB test server; stores and
 * database are closed and dropped after the file. Use inside {@link describeMysql}.
 */
import { afterAll, beforeAll } from "vitest";
import { systemClock } from "../../../../src/base/clock.js";
import { type Logger, silentLogger } from "../../../../src/base/logger.js";
import type { SqlInternals } from "../../../../src/store/sql/connect.js";
import { openSqlStore } from "../../../../src/store/sql/sql-plugin.js";
import type { SqlStore } from "../../../../src/store/sql/sql-store.js";
import { serverUrl } from "./describe-mysql.js";
import { createMysqlTestDatabase, type MysqlTestDatabase, type MysqlTestDialect } from "./mysql-test-db.js";

/** Both dialects of the mysql folder, narrowed by JOBCACHE_TEST_DIALECTS=mysql,mariadb. */
export const MYSQL_DIALECTS: readonly MysqlTestDialect[] = (["MYSQL", "MARIADB"] as const).filter(
  (dialect) => {
    const only = process.env.JOBCACHE_TEST_DIALECTS;
    return only === undefined || only.toUpperCase().split(",").includes(dialect);
  },
);

/** Stores on one database, opened on demand, all closed after the file. */
export interface MysqlStoreFixture {
  readonly db: () => MysqlTestDatabase;
  open(
    dialect: MysqlTestDialect,
    options?: { internals?: SqlInternals; properties?: Record<string, string>; logger?: Logger },
  ): Promise<SqlStore>;
}

/** Registers beforeAll/afterAll for a database named after `label`. */
export function useMysqlDatabase(label: string): MysqlStoreFixture {
  let database: MysqlTestDatabase | undefined;
  const stores: SqlStore[] = [];
  beforeAll(async () => {
    database = await createMysqlTestDatabase(serverUrl(), label);
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await database?.drop();
  });
  const db = (): MysqlTestDatabase => {
    if (database === undefined) throw new Error("database not created yet");
    return database;
  };
  return {
    db,
    async open(dialect, options = {}) {
      const store = await openSqlStore(
        db().config(dialect, { autoDeploy: "true", ...options.properties }),
        { clock: systemClock, logger: options.logger ?? silentLogger },
        options.internals ?? {},
      );
      stores.push(store);
      return store;
    },
  };
}

// The request builders are the same for every dialect.
export { grantRequest, leaseOf, uniqueCache, writeRequest } from "../../fixtures/sql-store-fixture.js";
