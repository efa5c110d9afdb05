import { resolve } from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { ECacheConfig } from "../../src/base/errors.js";
import { silentLogger } from "../../src/base/logger.js";
import type { PluginConfig } from "../../src/base/types.js";
import { readSqlConfig } from "../../src/store/sql/config/sql-config.js";
import { sqlPlugin } from "../../src/store/sql/sql-plugin.js";
import { startFakePgAuth } from "../setup/fake-pg-auth.js";

const jdbc = (properties: Record<string, string>, secrets: Record<string, string> = {}): PluginConfig => ({
  protocol: "JDBC",
  properties,
  secrets,
});

/**
 * What the first query of a PostgreSQL config fails with, and the password it sent, against a
 * fake server asking for a password (`{port}` in the URL is its port).
 */
async function authAttempt(
  method: "cleartext" | "sasl",
  properties: Record<string, string>,
  secrets: Record<string, string> = {},
): Promise<{ error: unknown; passwords: string[] }> {
  const fake = await startFakePgAuth(method);
  try {
    const withPort = Object.fromEntries(
      Object.entries(properties).map(([name, value]) => [name, value.replace("{port}", String(fake.port))]),
    );
    const config = await readSqlConfig(jdbc({ dialect: "POSTGRESQL", ...withPort }, secrets));
    const db = await config.settings.connect({ logger: silentLogger });
    const error = await sql`select 1`.execute(db).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    await db.destroy();
    return { error, passwords: fake.passwords };
  } finally {
    await fake.close();
  }
}

async function failure(config: PluginConfig): Promise<ECacheConfig> {
  const error = await readSqlConfig(config).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ECacheConfig);
  return error as ECacheConfig;
}

describe("JDBC / SQL configuration", () => {
  it("serves the JDBC and SQL protocols", () => {
    expect(sqlPlugin.protocols).toEqual(["JDBC", "SQL"]);
  });

  it("reads a TRAC-style PostgreSQL config: jdbcUrl, user, password from secrets, pool", async () => {
    const config = await readSqlConfig(
      jdbc(
        {
          dialect: "POSTGRESQL",
          jdbcUrl: "//db.example:6543/jobs",
          "postgresql.user": "app",
          "pool.size": "4",
          "pool.overflow": "2",
        },
        { "postgresql.password": "s3cret!" },
      ),
    );
    expect(config.dialect).toBe("POSTGRESQL");
    expect(config.settings.target).toBe("postgresql://app@db.example:6543/jobs (schema public)");
    expect(config.autoDeploy).toBe(false);
    expect(config.retry).toEqual({ retries: 5, minDelayMs: 20, maxDelayMs: 1000 });
  });

  it("accepts jdbc:postgresql: and plain postgres:// URLs, keeping the URL's password out of the target", async () => {
    const prefixed = await readSqlConfig(jdbc({ dialect: "postgresql", jdbcUrl: "jdbc:postgresql://h/db" }));
    expect(prefixed.settings.target).toBe("postgresql://h:5432/db (schema public)");
    const plain = await readSqlConfig(
      jdbc({ dialect: "POSTGRES", url: "postgres://u:pa%40ss@h:1/db", schema: "jobs" }),
    );
    expect(plain.settings.target).toBe("postgresql://u@h:1/db (schema jobs)");
    expect(plain.settings.namespace).toBe("jobs");
  });

  it("says what to set when the dialect or the URL is missing or wrong", async () => {
    expect((await failure(jdbc({}))).message).toMatch(/dialect is required/);
    expect((await failure(jdbc({ dialect: "ORACLE" }))).message).toMatch(
      /SQLITE, POSTGRESQL, MYSQL, MARIADB/,
    );
    expect((await failure(jdbc({ dialect: "H2" }))).message).toMatch(/use SQLITE/);
    expect((await failure(jdbc({ dialect: "POSTGRESQL" }))).message).toMatch(/jdbcUrl .* or url/);
    expect((await failure(jdbc({ dialect: "POSTGRESQL", jdbcUrl: "//host:5432" }))).message).toMatch(
      /must name a database/,
    );
    expect((await failure(jdbc({ dialect: "POSTGRESQL", jdbcUrl: "mysql://h/db" }))).message).toMatch(
      /PostgreSQL URL/,
    );
    expect(
      (await failure(jdbc({ dialect: "POSTGRESQL", jdbcUrl: "//h/db", "pool.size": "many" }))).message,
    ).toMatch(/pool\.size/);
    expect(
      (await failure(jdbc({ dialect: "POSTGRESQL", jdbcUrl: "//h/db", schema: "a-b" }))).message,
    ).toMatch(/schema/);
  });

  it("never repeats a password from a URL it cannot use", async () => {
    const error = await failure(jdbc({ dialect: "POSTGRESQL", url: "postgres://u:hunter2@/db" }));
    expect(error.message).not.toContain("hunter2");
  });

  it("reads SQLite: jdbcUrl is a file path; the embedded default deploys itself", async () => {
    const config = await readSqlConfig(jdbc({ dialect: "SQLITE", jdbcUrl: "jdbc:sqlite:/var/tmp/jobs.db" }));
    expect(config.settings.target).toBe("sqlite:/var/tmp/jobs.db");
    expect(config.autoDeploy).toBe(true);
    const fallback = await readSqlConfig(jdbc({ dialect: "sqlite", autoDeploy: "false" }));
    expect(fallback.settings.target).toBe(`sqlite:${resolve(".jobcache/jobcache.db")}`);
    expect(fallback.autoDeploy).toBe(false);
    expect((await failure(jdbc({ dialect: "SQLITE", "sqlite.synchronous": "SOMETIMES" }))).message).toMatch(
      /FULL, NORMAL/,
    );
    expect((await failure(jdbc({ dialect: "SQLITE", busyTimeoutMs: "-1" }))).message).toMatch(
      /busyTimeoutMs/,
    );
  });

  it("sends the password of secrets first, then postgresql.password, then the URL's (part or ?password=)", async () => {
    const url = "//u:from-url@127.0.0.1:{port}/db";
    expect(
      (
        await authAttempt(
          "cleartext",
          { jdbcUrl: url, "postgresql.password": "prop" },
          { "postgresql.password": "sec" },
        )
      ).passwords,
    ).toEqual(["sec"]);
    expect(
      (await authAttempt("cleartext", { jdbcUrl: url, "postgresql.password": "prop" })).passwords,
    ).toEqual(["prop"]);
    expect((await authAttempt("cleartext", { jdbcUrl: url })).passwords).toEqual(["from-url"]);
    expect(
      (await authAttempt("cleartext", { url: "postgres://u:p@ss@127.0.0.1:{port}/db" })).passwords,
    ).toEqual(["p@ss"]);
    expect(
      (await authAttempt("cleartext", { jdbcUrl: "//127.0.0.1:{port}/db?user=u&password=q%26p" })).passwords,
    ).toEqual(["q&p"]);
  });

  it("without a password, a server that asks for one gets ECacheConfig naming what to set, not a SASL error", async () => {
    const saved = process.env.PGPASSWORD;
    delete process.env.PGPASSWORD;
    try {
      const { error } = await authAttempt("sasl", { jdbcUrl: "//app@127.0.0.1:{port}/db" });
      expect(error).toBeInstanceOf(ECacheConfig);
      expect((error as Error).message).toMatch(/asks for a password, but none is configured/);
      expect((error as Error).message).toMatch(/jobCache\.secrets\.postgresql\.password/);
      expect((error as Error).message).not.toMatch(/SASL/);
    } finally {
      if (saved !== undefined) process.env.PGPASSWORD = saved;
    }
  });

  it("a malformed %-escape in url or jdbcUrl is ECacheConfig naming the property, on every server dialect", async () => {
    for (const dialect of ["POSTGRESQL", "MYSQL", "MARIADB"]) {
      const scheme = dialect === "POSTGRESQL" ? "postgres" : "mysql";
      const url = await failure(jdbc({ dialect, url: `${scheme}://u:p%zz@h/db` }));
      expect(url.message).toMatch(/jobCache\.properties\.url has a malformed %-escape/);
      const jdbcUrl = await failure(jdbc({ dialect, jdbcUrl: "//u:%e0@h/db" }));
      expect(jdbcUrl.message).toMatch(/jobCache\.properties\.jdbcUrl has a %-escape that is not UTF-8/);
      expect(`${url.message}${jdbcUrl.message}`).not.toMatch(/URI malformed/);
    }
  });

  it("honours sslrootcert, and a missing CA file is ECacheConfig naming the file", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const ca = resolve(mkdtempSync(resolve(tmpdir(), "jobcache-ca-")), "ca.pem");
    writeFileSync(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    const { readServerUrl } = await import("../../src/store/sql/dialects/server-url.js");
    expect(readServerUrl(`//h/db?sslrootcert=${ca}`, "jdbcUrl", "postgresql").ssl).toMatchObject({
      rejectUnauthorized: true,
      ca: expect.stringContaining("BEGIN CERTIFICATE"),
    });
    expect(readServerUrl(`//h/db?sslMode=REQUIRED&sslrootcert=${ca}`, "jdbcUrl", "mysql").ssl).toMatchObject({
      rejectUnauthorized: true,
      ca: expect.stringContaining("BEGIN CERTIFICATE"),
    });
    const missing = await failure(
      jdbc({ dialect: "POSTGRESQL", jdbcUrl: "//h/db?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem" }),
    );
    expect(missing.message).toMatch(
      /jobCache\.properties\.jdbcUrl: cannot read the CA certificate file "\/nonexistent\/ca\.pem" named by sslrootcert \(ENOENT/,
    );
  });

  it("knows its properties: a typo is ECacheConfig naming it, with the nearest known name", async () => {
    const base = { dialect: "POSTGRESQL", jdbcUrl: "//h/db" };
    const sise = await failure(jdbc({ ...base, "pool.sise": "3" }));
    expect(sise.message).toMatch(
      /Unknown property jobCache\.properties\."pool\.sise" for protocol JDBC, dialect POSTGRESQL\. Did you mean "pool\.size"\?/,
    );
    const upper = await failure(jdbc({ dialect: "POSTGRESQL", jdbcURL: "//h/db" }));
    expect(upper.message).toMatch(/"jdbcURL".*Did you mean "jdbcUrl"\?/);
    const secret = await failure(jdbc(base, { "postgresql.pasword": "x" }));
    expect(secret.message).toMatch(
      /jobCache\.secrets\."postgresql\.pasword".*Did you mean "postgresql\.password"/,
    );
    const sqlite = await failure(jdbc({ dialect: "SQLITE", "sqlite.synchronus": "FULL" }));
    expect(sqlite.message).toMatch(/Did you mean "sqlite\.synchronous"/);
    const missingDialect = await failure(jdbc({ Dialect: "SQLITE" }));
    expect(missingDialect.message).toMatch(/dialect is required .*found "Dialect"/);
    // the generic value size limit is known to every dialect
    for (const dialect of ["SQLITE", "POSTGRESQL", "MYSQL", "MARIADB"]) {
      await expect(
        readSqlConfig(jdbc({ dialect, jdbcUrl: "//u@h/db", maxValueBytes: "1000" })),
      ).resolves.toMatchObject({ dialect });
    }
  });

  it("reads numbers and booleans given from code as their string forms", async () => {
    const config = await readSqlConfig({
      protocol: "JDBC",
      properties: { dialect: "SQLITE", jdbcUrl: ":memory:", autoDeploy: false, "retry.attempts": 3 } as never,
    });
    expect(config.autoDeploy).toBe(false);
    expect(config.retry.retries).toBe(2);
    const wrong = await failure({
      protocol: "JDBC",
      properties: { dialect: "SQLITE", "retry.attempts": [3] } as never,
    });
    expect(wrong.message).toMatch(
      /"retry\.attempts" must be a string, a finite number or a boolean, got a list/,
    );
  });

  it("quotes a user-given dialect so every character shows", async () => {
    expect((await failure(jdbc({ dialect: "SQLITE\u0000" }))).message).toContain('"SQLITE\\u0000"');
  });
});
