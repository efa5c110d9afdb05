import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ECacheConfig } from "../../src/base/errors.js";
import type { PluginConfig } from "../../src/base/types.js";
import { readSqlConfig } from "../../src/store/sql/config/sql-config.js";
import { sqlPlugin } from "../../src/store/sql/sql-plugin.js";

const jdbc = (properties: Record<string, string>, secrets: Record<string, string> = {}): PluginConfig => ({
  protocol: "JDBC",
  properties,
  secrets,
});

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
    expect(config.settings.secrets).toEqual(["s3cret!"]);
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
    expect(plain.settings.secrets).toEqual(["pa@ss"]);
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
});
