import { describe, expect, it } from "vitest";
import { ECacheConfig } from "../../../src/base/errors.js";
import { parseMysqlUrl } from "../../../src/store/sql/dialects/mysql/mysql-url.js";

describe("MySQL URL forms", () => {
  it("reads TRAC's //host:port/db form", () => {
    expect(parseMysqlUrl("//db.example:3307/jobs", "jdbcUrl")).toEqual({
      host: "db.example",
      port: 3307,
      database: "jobs",
      user: undefined,
      password: undefined,
      ssl: undefined,
    });
  });

  it("accepts jdbc:mysql: and jdbc:mariadb: prefixes and defaults the port to 3306", () => {
    expect(parseMysqlUrl("jdbc:mysql://db/jobs", "jdbcUrl")).toMatchObject({
      host: "db",
      port: 3306,
      database: "jobs",
    });
    expect(parseMysqlUrl("jdbc:mariadb://db:3310/jobs", "jdbcUrl")).toMatchObject({ port: 3310 });
  });

  it("reads user and %-encoded password of mysql:// and mariadb:// URLs", () => {
    const address = parseMysqlUrl("mariadb://app:p%40ss%2Fw@10.0.0.5:3306/jobs", "url");
    expect(address).toMatchObject({ host: "10.0.0.5", user: "app", password: "p@ss/w", database: "jobs" });
  });

  it("unwraps IPv6 hosts", () => {
    expect(parseMysqlUrl("mysql://u@[::1]:3306/jobs", "url").host).toBe("::1");
  });

  it("maps Connector/J TLS parameters", () => {
    expect(parseMysqlUrl("//h/db?sslMode=VERIFY_IDENTITY", "jdbcUrl").ssl).toEqual({
      rejectUnauthorized: true,
    });
    expect(parseMysqlUrl("//h/db?sslMode=REQUIRED", "jdbcUrl").ssl).toEqual({ rejectUnauthorized: false });
    expect(parseMysqlUrl("//h/db?useSSL=true", "jdbcUrl").ssl).toEqual({ rejectUnauthorized: false });
    expect(parseMysqlUrl("//h/db?sslMode=DISABLED", "jdbcUrl").ssl).toBeUndefined();
  });

  it("rejects other schemes, a missing database and garbage, naming the property", () => {
    expect(() => parseMysqlUrl("postgres://h/db", "url")).toThrow(
      /properties\.url must be a MySQL or MariaDB URL/,
    );
    expect(() => parseMysqlUrl("//h:3306/", "jdbcUrl")).toThrow(/jdbcUrl must name a database/);
    expect(() => parseMysqlUrl("not a url", "jdbcUrl")).toThrow(ECacheConfig);
  });

  it("never echoes a password in its errors", () => {
    const attempts = ["mysql://u:hunter2@h:3306/", "ftp://u:hunter2@h/db", "mysql://u:hunter2%zz@h/db"];
    for (const text of attempts) {
      let message = "";
      try {
        parseMysqlUrl(text, "url");
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).not.toBe("");
      expect(message).not.toContain("hunter2");
    }
  });
});
