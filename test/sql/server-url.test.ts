import { describe, expect, it } from "vitest";
import { ECacheConfig } from "../../src/base/errors.js";
import { readServerUrl, redactServerUrl } from "../../src/store/sql/dialects/server-url.js";

const mysql = (text: string, property = "jdbcUrl") => readServerUrl(text, property, "mysql");
const postgres = (text: string, property = "jdbcUrl") => readServerUrl(text, property, "postgresql");

describe("server URL forms (one reader for PostgreSQL and MySQL/MariaDB)", () => {
  it("reads TRAC's //host:port/db form", () => {
    expect(mysql("//db.example:3307/jobs")).toEqual({
      host: "db.example",
      port: 3307,
      database: "jobs",
      user: undefined,
      password: undefined,
      ssl: undefined,
      redacted: "//db.example:3307/jobs",
    });
    expect(postgres("//db.example/jobs")).toMatchObject({ host: "db.example", port: 5432, database: "jobs" });
  });

  it("accepts jdbc: prefixes and defaults the port per server", () => {
    expect(mysql("jdbc:mysql://db/jobs")).toMatchObject({ host: "db", port: 3306, database: "jobs" });
    expect(mysql("jdbc:mariadb://db:3310/jobs")).toMatchObject({ port: 3310 });
    expect(postgres("jdbc:postgresql://db/jobs")).toMatchObject({ host: "db", port: 5432 });
  });

  it("reads user and %-encoded password of mysql://, mariadb:// and postgres:// URLs", () => {
    const address = mysql("mariadb://app:p%40ss%2Fw@10.0.0.5:3306/jobs", "url");
    expect(address).toMatchObject({ host: "10.0.0.5", user: "app", password: "p@ss/w", database: "jobs" });
    expect(postgres("postgresql://app:pw@h/db", "url")).toMatchObject({ user: "app", password: "pw" });
  });

  it("reads a password with an unencoded @ whole, as the connecting parser does", () => {
    expect(postgres("postgres://u:p@ss@h/db", "url")).toMatchObject({
      user: "u",
      password: "p@ss",
      host: "h",
    });
    expect(mysql("//u:p@ss@h/db").password).toBe("p@ss");
  });

  it("honours ?user= and ?password= parameters", () => {
    expect(postgres("//h/db?user=app&password=q%26p")).toMatchObject({ user: "app", password: "q&p" });
    expect(mysql("//h/db?password=pw")).toMatchObject({ password: "pw" });
  });

  it("unwraps IPv6 hosts", () => {
    expect(mysql("mysql://u@[::1]:3306/jobs", "url").host).toBe("::1");
  });

  it("maps Connector/J TLS parameters for MySQL and libpq's sslmode for PostgreSQL", () => {
    expect(mysql("//h/db?sslMode=VERIFY_IDENTITY").ssl).toEqual({ rejectUnauthorized: true });
    expect(mysql("//h/db?sslMode=REQUIRED").ssl).toEqual({ rejectUnauthorized: false });
    expect(mysql("//h/db?useSSL=true").ssl).toEqual({ rejectUnauthorized: false });
    expect(mysql("//h/db?sslMode=DISABLED").ssl).toBeUndefined();
    expect(postgres("//h/db?sslmode=require").ssl).toEqual({ rejectUnauthorized: false });
    expect(postgres("//h/db?sslmode=verify-full").ssl).toEqual({ rejectUnauthorized: true });
    expect(postgres("//h/db?ssl=true").ssl).toEqual({ rejectUnauthorized: false });
    expect(postgres("//h/db?sslmode=disable").ssl).toBeUndefined();
    expect(postgres("//h/db").ssl).toBeUndefined();
    expect(() => postgres("//h/db?sslmode=verify-ca")).toThrow(/verify-ca without sslrootcert/);
  });

  it("rejects other schemes, a missing database and garbage, naming the property and quoting the scheme", () => {
    expect(() => mysql("postgres://h/db", "url")).toThrow(
      /properties\.url must be a MySQL or MariaDB URL \(got scheme "postgres:"\)/,
    );
    expect(() => postgres("mysql://h/db", "url")).toThrow(/must be a PostgreSQL URL/);
    expect(() => mysql("//h:3306/")).toThrow(/jdbcUrl must name a database/);
    expect(() => mysql("not a url")).toThrow(ECacheConfig);
    expect(() => postgres("//h:99999/db")).toThrow(ECacheConfig);
  });

  it("a malformed %-escape is ECacheConfig naming the property, never a URIError", () => {
    for (const read of [mysql, postgres]) {
      for (const text of ["//u:p%zz@h/db", "//u:p%@h/db", "//u:%e0@h/db", "//h/d%b"]) {
        let caught: unknown;
        try {
          read(text, "url");
        } catch (error) {
          caught = error;
        }
        expect(caught, text).toBeInstanceOf(ECacheConfig);
        expect((caught as Error).message, text).toMatch(/^jobCache\.properties\.url has a/);
      }
    }
  });

  it("never echoes a password in its errors", () => {
    const attempts = ["mysql://u:hunter2@h:3306/", "ftp://u:hunter2@h/db", "mysql://u:hunter2%zz@h/db"];
    for (const text of attempts) {
      let message = "";
      try {
        mysql(text, "url");
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).not.toBe("");
      expect(message).not.toContain("hunter2");
    }
  });

  it("gives the URL as written with its password hidden, for every form it accepts", () => {
    const cases: [string, string][] = [
      ["//user:secret@host:5432/db", "//user:***@host:5432/db"],
      ["postgres://u:p@ss@h/db", "postgres://u:***@h/db"],
      ["jdbc:postgresql://u:s%40x@h/db?sslmode=require", "jdbc:postgresql://u:***@h/db?sslmode=require"],
      ["//h/db?user=a&password=pw&ssl=true", "//h/db?user=a&password=***&ssl=true"],
      ["//h/db", "//h/db"],
    ];
    for (const [text, printed] of cases) expect(redactServerUrl(text, "postgresql")).toBe(printed);
    expect(redactServerUrl("mariadb://app:x@[::1]:3306/jobs", "mysql")).toBe(
      "mariadb://app:***@[::1]:3306/jobs",
    );
    expect(redactServerUrl("not a url", "mysql")).toBeUndefined();
  });
});
