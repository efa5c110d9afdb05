import { describe, expect, it } from "vitest";
import { ECacheConfig } from "../../../src/base/errors.js";
import { readSqlConfig } from "../../../src/store/sql/config/sql-config.js";
import {
  MariadbStoreAdapter,
  MysqlStoreAdapter,
} from "../../../src/store/sql/dialects/mysql/mysql-adapter.js";
import { mysqlDialect } from "../../../src/store/sql/dialects/mysql/mysql-dialect.js";

function settings(dialect: string, properties: Record<string, string>, secrets: Record<string, string> = {}) {
  return mysqlDialect.configure({ dialect, properties, secrets });
}

describe("MySQL / MariaDB properties", () => {
  it("takes a TRAC jobCache section as written, password from secrets", async () => {
    const config = await readSqlConfig({
      protocol: "JDBC",
      properties: { dialect: "mysql", jdbcUrl: "//db:3306/trac", "mysql.user": "trac", "pool.size": "5" },
      secrets: { "mysql.password": "s3cret-pw" },
    });
    expect(config.dialect).toBe("MYSQL");
    expect(config.settings.target).toBe("mysql://trac@db:3306/trac");
    expect(config.settings.adapter).toBeInstanceOf(MysqlStoreAdapter);
    expect(config.autoDeploy).toBe(false);
  });

  it("serves MARIADB with the MariaDB adapter and accepts mysql.* or mariadb.* names for either", () => {
    const maria = settings(
      "MARIADB",
      { jdbcUrl: "//db/trac", "mysql.user": "app" },
      { "mariadb.password": "pw1" },
    );
    expect(maria.adapter).toBeInstanceOf(MariadbStoreAdapter);
    expect(maria.target).toBe("mariadb://app@db:3306/trac");
    const mysql = settings(
      "MYSQL",
      { jdbcUrl: "//db/trac", "mariadb.user": "app2" },
      { "mysql.password": "pw2" },
    );
    expect(mysql.target).toBe("mysql://app2@db:3306/trac");
  });

  it("prefers the dialect's own property name, then the other, then the URL", () => {
    const both = { jdbcUrl: "//db/trac", "mysql.user": "my", "mariadb.user": "maria" };
    expect(settings("MARIADB", both).target).toContain("maria@");
    expect(settings("MYSQL", both).target).toContain("my@");
    expect(settings("MYSQL", { url: "mysql://fromurl:pw@db/trac" }).target).toBe(
      "mysql://fromurl@db:3306/trac",
    );
  });

  it("takes user and password from a plain url, and keeps the password out of the target", () => {
    const parsed = settings("MARIADB", { url: "mariadb://app:hunter2@db:3307/jobs" });
    expect(parsed.target).toBe("mariadb://app@db:3307/jobs");
    expect(parsed.target).not.toContain("hunter2");
  });

  it("fails before connecting when the URL or the user is missing, saying what to set", () => {
    expect(() => settings("MYSQL", {})).toThrow(/jdbcUrl \(\/\/host:3306\/database\) or url/);
    expect(() => settings("MARIADB", { jdbcUrl: "//db/jobs" })).toThrow(
      /mariadb\.user is required for dialect MARIADB/,
    );
    expect(() => settings("MYSQL", { jdbcUrl: "//db/jobs", "mysql.user": "u", "pool.size": "0" })).toThrow(
      /pool\.size must be a whole number from 1/,
    );
    expect(() =>
      settings("MYSQL", { jdbcUrl: "//db/jobs", "mysql.user": "u", "pool.overflow": "x" }),
    ).toThrow(ECacheConfig);
  });

  it("opens nothing until the first query", async () => {
    // Port 1 never answers: connect() must not throw, only queries would.
    const parsed = settings("MYSQL", { jdbcUrl: "//127.0.0.1:1/jobs", "mysql.user": "u" });
    const db = await parsed.connect({ logger: { debug() {}, info() {}, warn() {}, error() {} } });
    await db.destroy();
    expect(parsed.adapter.dialect).toBe("MYSQL");
  });
});
