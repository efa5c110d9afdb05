import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { ECache, ECacheConfig, ECacheUnavailable } from "../../src/base/errors.js";
import { silentLogger } from "../../src/base/logger.js";
import { readSqlConfig } from "../../src/store/sql/config/sql-config.js";
import { openConnection } from "../../src/store/sql/connect.js";
import { PostgresAdapter } from "../../src/store/sql/dialects/postgres/postgres-adapter.js";
import { classifyPostgresError } from "../../src/store/sql/dialects/postgres/postgres-errors.js";
import { classifySqliteError } from "../../src/store/sql/dialects/sqlite/sqlite-errors.js";
import { RetryableConflict } from "../../src/store/sql/retry/retryable-conflict.js";
import { toCacheError } from "../../src/store/sql/retry/to-cache-error.js";
import { testPostgresUrl } from "../setup/pg-test-server.js";
import { TEST_DIALECTS } from "../setup/sql-test-db.js";
import { grantRequest, uniqueCache, useSqlDatabase } from "./fixtures/sql-store-fixture.js";

const coded = (code: string, message = "driver error") => Object.assign(new Error(message), { code });

describe("driver errors by dialect", () => {
  it("maps PostgreSQL SQLSTATEs and socket errors", () => {
    const kinds = {
      "23505": "duplicate",
      "40001": "conflict",
      "40P01": "conflict",
      "55P03": "conflict",
      "57P01": "connection",
      "08006": "connection",
      ECONNREFUSED: "connection",
      ECONNRESET: "connection",
      "28P01": "config",
      "3D000": "config",
      "42501": "config",
      "42P01": "missing-schema",
      "22P02": "unknown",
    };
    for (const [code, kind] of Object.entries(kinds))
      expect([code, classifyPostgresError(coded(code))]).toEqual([code, kind]);
    expect(classifyPostgresError(new Error("Connection terminated unexpectedly"))).toBe("connection");
    expect(classifyPostgresError(new Error("something else"))).toBe("unknown");
  });

  it("maps SQLite result codes", () => {
    const kinds = {
      SQLITE_BUSY: "conflict",
      SQLITE_BUSY_SNAPSHOT: "conflict",
      SQLITE_LOCKED: "conflict",
      SQLITE_CONSTRAINT_UNIQUE: "duplicate",
      SQLITE_CONSTRAINT_PRIMARYKEY: "duplicate",
      SQLITE_CANTOPEN: "config",
      SQLITE_READONLY: "config",
      SQLITE_IOERR_WRITE: "connection",
      SQLITE_FULL: "connection",
      SQLITE_CONSTRAINT_CHECK: "unknown",
    };
    for (const [code, kind] of Object.entries(kinds))
      expect([code, classifySqliteError(coded(code))]).toEqual([code, kind]);
    expect(classifySqliteError(coded("SQLITE_ERROR", "no such table: jobcache_lease"))).toBe(
      "missing-schema",
    );
    expect(classifySqliteError(new Error("plain"))).toBe("unknown");
  });

  const scope = {
    adapter: new PostgresAdapter(),
    target: "postgresql://app@db:5432/jobs (schema public)",
    operation: "openTicket",
    cacheName: "jobs",
    key: "job-1",
  };

  it("turns what is left after retries into the cache's own errors, hiding URL passwords", () => {
    const lost = toCacheError(coded("ECONNRESET", "read ECONNRESET at //app:pa55word@db/jobs"), scope);
    expect(lost).toBeInstanceOf(ECacheUnavailable);
    expect(lost.message).toContain("postgresql://app@db:5432/jobs");
    expect(lost.message).toContain('key "job-1" in cache "jobs"');
    expect(lost.message).not.toContain("pa55word");
    expect(toCacheError(coded("40P01"), scope)).toBeInstanceOf(ECacheUnavailable);
    expect(toCacheError(new RetryableConflict("lost a race"), scope)).toBeInstanceOf(ECacheUnavailable);
    const schema = toCacheError(coded("42P01", 'relation "jobcache_lease" does not exist'), scope);
    expect(schema).toBeInstanceOf(ECacheConfig);
    expect(schema.message).toContain("jobcache db deploy --config FILE");
    const other = toCacheError(coded("22P02"), scope);
    expect(other.constructor).toBe(ECache);
    expect(other.cause).toBeInstanceOf(Error);
  });

  it("keeps driver messages whole: no secret text is searched for and replaced", () => {
    for (const text of [
      'database "nosuchdb" does not exist',
      "Access denied for user 'root'@'localhost' (using password: YES)",
    ]) {
      expect(toCacheError(coded("08006", text), scope).message).toContain(text);
    }
  });

  it("a live failure with a one-letter password reads as the server wrote it", async () => {
    const url = new URL(await testPostgresUrl());
    const config = await readSqlConfig({
      protocol: "JDBC",
      properties: {
        dialect: "POSTGRESQL",
        jdbcUrl: `//${url.host}/nosuchdb_${process.pid}`,
        "postgresql.user": decodeURIComponent(url.username) || "postgres",
      },
      secrets: { "postgresql.password": "x" },
    });
    const connection = await openConnection(config, silentLogger);
    try {
      const error = await sql`select 1`.execute(connection.db).catch((caught: unknown) => caught);
      const message = toCacheError(error, connection.failure("openTicket")).message;
      expect(message).toContain(`database "nosuchdb_${process.pid}" does not exist`);
      expect(message).not.toContain("***");
    } finally {
      await connection.close();
    }
  });
});

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: errors from a live store`, () => {
    const fixture = useSqlDatabase(dialect, `errors.test ${dialect}`);

    it("names the deploy command when the tables disappear under a running store", async () => {
      const store = await fixture.open();
      await sql`drop table jobcache_lease`.execute(await fixture.db().admin());
      const error = await store
        .grant(grantRequest(uniqueCache(), "k", null))
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ECacheConfig);
      expect(String(error)).toContain("jobcache db deploy --config FILE");
    });
  });
}
