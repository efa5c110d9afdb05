import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyMysqlError } from "../../../src/store/sql/dialects/mysql/mysql-errors.js";
import { describeMysql, serverUrl } from "./support/describe-mysql.js";
import { createMysqlTestDatabase, type MysqlTestDatabase } from "./support/mysql-test-db.js";

/** A mysql2-shaped error. */
function driverError(fields: { code?: string; errno?: number; message?: string; sqlState?: string }) {
  return Object.assign(new Error(fields.message ?? "x"), fields);
}

describe("mysql2 error classification", () => {
  it("maps server errors by number, also MariaDB's that mysql2 cannot name", () => {
    expect(classifyMysqlError(driverError({ code: "ER_DUP_ENTRY", errno: 1062 }))).toBe("duplicate");
    expect(classifyMysqlError(driverError({ code: "ER_LOCK_DEADLOCK", errno: 1213 }))).toBe("conflict");
    expect(classifyMysqlError(driverError({ code: "ER_LOCK_WAIT_TIMEOUT", errno: 1205 }))).toBe("conflict");
    expect(classifyMysqlError(driverError({ code: "ER_SERVER_SHUTDOWN", errno: 1053 }))).toBe("connection");
    expect(classifyMysqlError(driverError({ errno: 1927, message: "Connection was killed" }))).toBe(
      "connection",
    );
    expect(classifyMysqlError(driverError({ errno: 1969, message: "max_statement_time exceeded" }))).toBe(
      "conflict",
    );
    expect(classifyMysqlError(driverError({ code: "ER_NO_SUCH_TABLE", errno: 1146 }))).toBe("missing-schema");
    expect(classifyMysqlError(driverError({ code: "ER_ACCESS_DENIED_ERROR", errno: 1045 }))).toBe("config");
    expect(classifyMysqlError(driverError({ code: "ER_BAD_DB_ERROR", errno: 1049 }))).toBe("config");
    expect(classifyMysqlError(driverError({ code: "ER_PARSE_ERROR", errno: 1064 }))).toBe("unknown");
  });

  it("maps socket and protocol errors of a lost server to connection", () => {
    for (const code of ["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "PROTOCOL_CONNECTION_LOST"]) {
      expect(classifyMysqlError(driverError({ code, errno: -111 }))).toBe("connection");
    }
    // The ROLLBACK Kysely sends on a connection that died carries no code at all.
    const closed = driverError({ message: "Can't add new command when connection is in closed state" });
    expect(classifyMysqlError(closed)).toBe("connection");
    expect(classifyMysqlError(driverError({ code: "ENOTFOUND", errno: -3008 }))).toBe("config");
  });

  it("leaves anything else unknown (never retried)", () => {
    expect(classifyMysqlError(new Error("Pool is closed."))).toBe("unknown");
    expect(classifyMysqlError("a string")).toBe("unknown");
    expect(classifyMysqlError(null)).toBe("unknown");
  });
});

describeMysql("mysql2 errors from a real server", () => {
  let database: MysqlTestDatabase;
  const connections: mysql.Connection[] = [];
  const connect = async () => {
    const connection = await mysql.createConnection({ uri: database.url });
    connections.push(connection);
    return connection;
  };
  const failure = async (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: unknown) => error,
    );

  beforeAll(async () => {
    database = await createMysqlTestDatabase(serverUrl(), "mysql-errors.test");
    const admin = await database.admin();
    await admin.query("create table t (id int primary key, v int) engine = InnoDB");
    await admin.query("insert into t values (1, 0), (2, 0)");
  });
  afterAll(async () => {
    for (const connection of connections) await connection.end();
    await database?.drop();
  });

  it("duplicate key, missing table and unknown database", async () => {
    const connection = await connect();
    expect(classifyMysqlError(await failure(connection.query("insert into t values (1, 1)")))).toBe(
      "duplicate",
    );
    expect(classifyMysqlError(await failure(connection.query("select * from jobcache_lease")))).toBe(
      "missing-schema",
    );
    const url = new URL(database.url);
    url.pathname = "/jc_no_such_database";
    expect(classifyMysqlError(await failure(mysql.createConnection({ uri: url.href })))).toBe("config");
  });

  it("lock wait timeout and deadlock are conflicts", async () => {
    const [a, b] = [await connect(), await connect()];
    await b.query("set session innodb_lock_wait_timeout = 1");
    await a.query("begin");
    await a.query("update t set v = 1 where id = 1");
    await b.query("begin");
    expect(classifyMysqlError(await failure(b.query("update t set v = 2 where id = 1")))).toBe("conflict");
    await b.query("rollback");
    // a holds row 1, b takes row 2, then each asks for the other's row.
    await b.query("set session innodb_lock_wait_timeout = 20");
    await b.query("begin");
    await b.query("update t set v = 2 where id = 2");
    const waiting = failure(a.query("update t set v = 1 where id = 2"));
    const deadlocked = await failure(b.query("update t set v = 2 where id = 1"));
    const other = await waiting;
    const errors = [deadlocked, other].filter((error) => error !== undefined);
    expect(errors).toHaveLength(1);
    expect(classifyMysqlError(errors[0])).toBe("conflict");
    await a.query("rollback");
    await b.query("rollback");
  });

  it("a refused connection and a killed connection are connection errors", async () => {
    const refused = await failure(mysql.createConnection({ host: "127.0.0.1", port: 1, user: "root" }));
    expect(classifyMysqlError(refused)).toBe("connection");
    const [victim, killer] = [await connect(), await connect()];
    victim.on("error", () => {});
    await killer.query(`kill connection ${victim.threadId}`);
    expect(classifyMysqlError(await failure(victim.query("select 1")))).toBe("connection");
  });
});
