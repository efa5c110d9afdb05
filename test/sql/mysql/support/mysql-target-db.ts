/**
 * The MYSQL / MARIADB case of test/setup/sql-test-db.ts's `createTestDatabase`: a database of
 * its own on the MariaDB test server, with an admin Kysely connection through the store's own
 * dialect (so `backdateLeases` and other SQL behind the store's back work as on the others).
 */
import type { Kysely } from "kysely";
import { silentLogger } from "../../../../src/base/logger.js";
import { readSqlConfig } from "../../../../src/store/sql/config/sql-config.js";
import { openConnection, type SqlConnection } from "../../../../src/store/sql/connect.js";
import type { JobcacheSchema } from "../../../../src/store/sql/schema.js";
import type { TestDatabase } from "../../../setup/sql-test-db.js";
import { createMysqlTestDatabase, type MysqlTestDialect } from "./mysql-test-db.js";
import { mysqlTestServer } from "./mysql-test-server.js";

/** {@link TestDatabase} of a MYSQL or MARIADB database. */
export type MysqlTargetDatabase = Omit<TestDatabase, "dialect"> & { readonly dialect: MysqlTestDialect };

/** A fresh `jc_<hash>_<random>` database for `label`, shaped as the other dialects' test databases. */
export async function createMysqlTargetDatabase(
  dialect: MysqlTestDialect,
  label: string,
): Promise<MysqlTargetDatabase> {
  const server = await mysqlTestServer();
  if (server.url === undefined) throw new Error(`MySQL tests not run: ${server.notRun}`);
  const database = await createMysqlTestDatabase(server.url, label);
  const config = (properties: Record<string, string> = {}) => database.config(dialect, properties);
  let admin: Promise<SqlConnection> | undefined;
  return {
    dialect,
    name: database.name,
    config,
    async admin(): Promise<Kysely<JobcacheSchema>> {
      admin ??= readSqlConfig(config()).then((checked) => openConnection(checked, silentLogger));
      return (await admin).db;
    },
    async drop() {
      if (admin !== undefined) await (await admin).close();
      admin = undefined;
      await database.drop();
    },
  };
}
