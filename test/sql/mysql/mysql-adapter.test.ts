import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../../src/base/logger.js";
import { readSqlConfig } from "../../../src/store/sql/config/sql-config.js";
import { openConnection, type SqlConnection } from "../../../src/store/sql/connect.js";
import {
  MariadbStoreAdapter,
  MysqlStoreAdapter,
} from "../../../src/store/sql/dialects/mysql/mysql-adapter.js";
import type { JobcacheSchema } from "../../../src/store/sql/schema.js";
import { describeMysql, serverUrl } from "./support/describe-mysql.js";
import { MYSQL_DIALECTS } from "./support/mysql-store-fixture.js";
import { createMysqlTestDatabase, type MysqlTestDatabase } from "./support/mysql-test-db.js";

describe("MySQL / MariaDB capability flags", () => {
  it("MYSQL has no RETURNING at all: grants are one upsert, writes transactions with row locks", () => {
    const adapter = new MysqlStoreAdapter();
    expect(adapter.supportsReturning).toBe(false);
    expect(adapter.supportsInsertReturning).toBe(false);
    expect(adapter.supportsDeleteReturning).toBe(false);
    expect(adapter.supportsWritableCte).toBe(false);
    expect(adapter.supportsForUpdate).toBe(true);
    expect(adapter.supportsSkipLocked).toBe(true);
    expect(adapter.upsertStyle).toBe("on-duplicate-key");
    expect(adapter.grantStrategy).toBe("duplicate-key");
    expect(adapter.writeStrategy).toBe("transaction");
  });

  it("MARIADB adds INSERT and DELETE ... RETURNING, but not UPDATE ... RETURNING", () => {
    const adapter = new MariadbStoreAdapter();
    expect(adapter.dialect).toBe("MARIADB");
    expect(adapter.supportsInsertReturning).toBe(true);
    expect(adapter.supportsDeleteReturning).toBe(true);
    expect(adapter.supportsReturning).toBe(false);
    expect(adapter.grantStrategy).toBe("duplicate-key");
  });
});

for (const dialect of MYSQL_DIALECTS) {
  describeMysql(`${dialect}: adapter against the server`, () => {
    let database: MysqlTestDatabase;
    let connection: SqlConnection;
    let db: Kysely<JobcacheSchema>;
    beforeAll(async () => {
      database = await createMysqlTestDatabase(serverUrl(), `mysql-adapter.test ${dialect}`);
      connection = await openConnection(await readSqlConfig(database.config(dialect)), silentLogger);
      db = connection.db;
      await sql`create table probe (k varchar(10) primary key, v int) engine = InnoDB`.execute(db);
    });
    afterAll(async () => {
      await connection?.close();
      await database?.drop();
    });

    it("reads the database clock in microseconds since the epoch, UTC", async () => {
      const before = Date.now() * 1000;
      const { rows } = await sql<{ now: number }>`select ${connection.adapter.now()} as now`.execute(db);
      const after = Date.now() * 1000;
      expect(Number.isSafeInteger(rows[0]!.now)).toBe(true);
      // Same host, so within a second of the local clock (a time-zone slip would be hours off).
      expect(rows[0]!.now).toBeGreaterThan(before - 1_000_000);
      expect(rows[0]!.now).toBeLessThan(after + 1_000_000);
    });

    it("gives one value wherever the clock appears in a statement, and moves between statements of a transaction", async () => {
      const now = connection.adapter.now();
      const [first, second] = await db.transaction().execute(async (trx) => {
        const one = await sql<{
          a: number;
          b: number;
        }>`select ${now} as a, sleep(0.002), ${now} as b`.execute(trx);
        const two = await sql<{ a: number }>`select ${now} as a`.execute(trx);
        return [one.rows[0]!, two.rows[0]!];
      });
      expect(first.a).toBe(first.b);
      expect(second.a).toBeGreaterThan(first.a);
    });

    it("sets UTC and READ COMMITTED on every pooled connection", async () => {
      const sessions = await Promise.all(
        Array.from({ length: 4 }, () =>
          sql<{ id: number; zone: string; isolation: string }>`select connection_id() as id,
            @@session.time_zone as zone, @@session.tx_isolation as isolation, sleep(0.05) as waited`.execute(
            db,
          ),
        ),
      );
      const rows = sessions.map((result) => result.rows[0]!);
      expect(new Set(rows.map((row) => row.id)).size).toBe(4);
      for (const row of rows) expect(row).toMatchObject({ zone: "+00:00", isolation: "READ-COMMITTED" });
    });

    it("the flags match what the server accepts", async () => {
      const insert = sql`insert into probe values ('a', 1) on duplicate key update v = v + 1 returning v`;
      const remove = sql`delete from probe where k = 'a' returning v`;
      const update = sql`update probe set v = 3 returning v`;
      const runs = (statement: typeof insert) =>
        statement.execute(db).then(
          () => true,
          () => false,
        );
      // The server here is MariaDB: it has what the MARIADB adapter claims. MYSQL claims less,
      // which MariaDB also serves; neither claims UPDATE ... RETURNING, which MariaDB lacks.
      const adapter = new MariadbStoreAdapter();
      expect(await runs(insert)).toBe(adapter.supportsInsertReturning);
      expect(await runs(remove)).toBe(adapter.supportsDeleteReturning);
      expect(await runs(update)).toBe(false);
      expect(connection.adapter.supportsReturning).toBe(false);
    });
  });
}
