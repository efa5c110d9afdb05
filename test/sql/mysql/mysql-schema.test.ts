import type { LogEvent } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { systemClock } from "../../../src/base/clock.js";
import { ECacheConfig } from "../../../src/base/errors.js";
import { silentLogger } from "../../../src/base/logger.js";
import { readSqlConfig } from "../../../src/store/sql/config/sql-config.js";
import { openConnection } from "../../../src/store/sql/connect.js";
import { MysqlTableNamesIntrospector } from "../../../src/store/sql/dialects/mysql/mysql-introspector.js";
import { deploySchema, schemaStatus } from "../../../src/store/sql/migrate.js";
import { MIGRATION_NAMES } from "../../../src/store/sql/migrations/index.js";
import { openSqlStore } from "../../../src/store/sql/sql-plugin.js";
import { describeMysql, serverUrl } from "./support/describe-mysql.js";
import { MYSQL_DIALECTS } from "./support/mysql-store-fixture.js";
import { createMysqlTestDatabase, type MysqlTestDatabase } from "./support/mysql-test-db.js";

const MIGRATORS = 6;

for (const dialect of MYSQL_DIALECTS) {
  describeMysql(`${dialect}: schema`, () => {
    let database: MysqlTestDatabase;
    beforeAll(async () => {
      database = await createMysqlTestDatabase(serverUrl(), `mysql-schema.test ${dialect}`);
    });
    afterAll(async () => {
      await database?.drop();
    });

    it("refuses a database without the schema, naming the deploy command", async () => {
      expect((await schemaStatus(database.config(dialect))).state).toBe("missing");
      await expect(
        openSqlStore(database.config(dialect), { clock: systemClock, logger: silentLogger }),
      ).rejects.toThrow(/has no job cache schema\. Deploy it with `jobcache db deploy --config FILE`/);
      await expect(
        openSqlStore(database.config(dialect), { clock: systemClock, logger: silentLogger }),
      ).rejects.toThrow(ECacheConfig);
    });

    it(`deploys once when ${MIGRATORS} processes deploy at the same moment (GET_LOCK)`, async () => {
      const statements: string[] = [];
      const log = (event: LogEvent) => {
        if (event.level === "query") statements.push(event.query.sql);
      };
      const results = await Promise.all(
        Array.from({ length: MIGRATORS }, () =>
          deploySchema(database.config(dialect), { internals: { log } }),
        ),
      );
      const applied = results.flatMap((result) => result.applied);
      expect(applied).toEqual([...MIGRATION_NAMES]);
      expect(results.every((result) => result.status.state === "current")).toBe(true);
      const [rows] = await (await database.admin()).query("select name from jobcache_migration");
      expect(rows).toEqual(MIGRATION_NAMES.map((name) => ({ name })));
      expect(statements.filter((text) => /get_lock/i.test(text))).toHaveLength(MIGRATORS);
      // Kysely's own introspection query (information_schema.columns) crashed MariaDB 10.11 under load.
      expect(statements.filter((text) => /information_schema.*columns/i.test(text))).toEqual([]);
    });

    it("lists the tables by name for Kysely's Migrator, its own tables only when asked", async () => {
      const connection = await openConnection(await readSqlConfig(database.config(dialect)), silentLogger);
      try {
        const introspector = new MysqlTableNamesIntrospector(connection.db);
        const all = await introspector.getTables({ withInternalKyselyTables: true });
        expect(all.map((table) => table.name).sort()).toEqual([
          "jobcache_entry",
          "jobcache_lease",
          "jobcache_migration",
          "jobcache_migration_lock",
        ]);
        expect(all.every((table) => table.schema === database.name)).toBe(true);
        await connection.db.schema.createTable("kysely_migration").addColumn("name", "varchar(10)").execute();
        expect((await introspector.getTables()).map((table) => table.name)).not.toContain("kysely_migration");
        expect((await introspector.getSchemas()).map((schema) => schema.name)).toContain(database.name);
      } finally {
        await connection.db.schema.dropTable("kysely_migration").ifExists().execute();
        await connection.close();
      }
    });

    it("creates InnoDB tables whose text compares case-sensitively, with the hot-path indexes", async () => {
      const admin = await database.admin();
      const [tables] = await admin.query(
        `select table_name as name, engine, table_collation as collation from information_schema.tables
         where table_schema = database() and table_name like 'jobcache\\_%' order by table_name`,
      );
      expect(tables).toEqual(
        expect.arrayContaining([
          { name: "jobcache_entry", engine: "InnoDB", collation: "utf8mb4_bin" },
          { name: "jobcache_lease", engine: "InnoDB", collation: "utf8mb4_bin" },
        ]),
      );
      const [columns] = await admin.query(
        `select table_name as t, column_name as c, column_type as type, collation_name as collation
         from information_schema.columns where table_schema = database() and table_name like 'jobcache\\_%'
           and column_name in ('entry_key', 'status', 'value', 'expiry')`,
      );
      expect(columns).toEqual(
        expect.arrayContaining([
          { t: "jobcache_entry", c: "entry_key", type: "varchar(256)", collation: "utf8mb4_bin" },
          { t: "jobcache_entry", c: "status", type: "varchar(256)", collation: "utf8mb4_bin" },
          { t: "jobcache_entry", c: "value", type: "longtext", collation: "utf8mb4_bin" },
          { t: "jobcache_lease", c: "entry_key", type: "varchar(256)", collation: "utf8mb4_bin" },
          { t: "jobcache_lease", c: "expiry", type: "bigint(20)", collation: null },
        ]),
      );
      const [indexes] = await admin.query(
        `select table_name as t, index_name as i, group_concat(column_name order by seq_in_index) as cols
         from information_schema.statistics where table_schema = database() group by table_name, index_name`,
      );
      expect(indexes).toEqual(
        expect.arrayContaining([
          { t: "jobcache_entry", i: "jobcache_entry_key", cols: "cache_name,entry_key" },
          { t: "jobcache_entry", i: "jobcache_entry_by_status", cols: "cache_name,status,entry_id" },
          { t: "jobcache_lease", i: "PRIMARY", cols: "cache_name,entry_key" },
          { t: "jobcache_lease", i: "jobcache_lease_by_expiry", cols: "cache_name,expiry" },
        ]),
      );
    });

    it("a second deploy applies nothing", async () => {
      const again = await deploySchema(database.config(dialect));
      expect(again.applied).toEqual([]);
      expect(again.status.state).toBe("current");
    });
  });
}
