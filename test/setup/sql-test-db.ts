/**
 * One isolated database per test (file): a PostgreSQL schema with a hashed + random name on the
 * test server, or a SQLite file in a fresh temp folder. `drop()` leaves the server as found.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Kysely, sql } from "kysely";
import pg from "pg";
import { silentLogger } from "../../src/base/logger.js";
import type { PluginConfig } from "../../src/base/types.js";
import { readSqlConfig } from "../../src/store/sql/config/sql-config.js";
import { openConnection } from "../../src/store/sql/connect.js";
import type { JobcacheSchema } from "../../src/store/sql/schema.js";
import { testPostgresUrl } from "./pg-test-server.js";

/** The dialects these tests run against. */
export type TestDialect = "SQLITE" | "POSTGRESQL";

/** Every dialect, narrowed by JOBCACHE_TEST_DIALECTS=sqlite,postgresql. */
export const TEST_DIALECTS: readonly TestDialect[] = (["SQLITE", "POSTGRESQL"] as const).filter((dialect) => {
  const only = process.env.JOBCACHE_TEST_DIALECTS;
  return only === undefined || only.toUpperCase().split(",").includes(dialect);
});

/** An isolated, initially empty database. */
export interface TestDatabase {
  readonly dialect: TestDialect;
  /** The PostgreSQL schema or the SQLite file. */
  readonly name: string;
  /** A JDBC plugin config for this database, with extra properties. */
  config(properties?: Record<string, string>): PluginConfig;
  /** A connection of the test's own, on the same schema / file, for SQL behind the store's back. */
  admin(): Promise<Kysely<JobcacheSchema>>;
  /** Drops the schema or deletes the file; closes the admin connection. */
  drop(): Promise<void>;
}

function schemaName(label: string): string {
  const hash = createHash("sha1").update(label).digest("hex").slice(0, 8);
  return `jc_${hash}_${randomBytes(3).toString("hex")}`;
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

function withAdmin(
  config: PluginConfig,
  base: Omit<TestDatabase, "admin" | "drop">,
  cleanup: () => Promise<void>,
) {
  let admin: Promise<{ db: Kysely<JobcacheSchema>; close(): Promise<void> }> | undefined;
  const database: TestDatabase = {
    ...base,
    async admin() {
      admin ??= readSqlConfig(config).then((checked) => openConnection(checked, silentLogger));
      return (await admin).db;
    },
    async drop() {
      if (admin !== undefined) await (await admin).close();
      await cleanup();
    },
  };
  return database;
}

/** A fresh database for `label` (use the test file's name). */
export async function createTestDatabase(dialect: TestDialect, label: string): Promise<TestDatabase> {
  if (dialect === "SQLITE") {
    const folder = mkdtempSync(join(tmpdir(), "jobcache-sqlite-"));
    const file = join(folder, "jobcache.db");
    const config = (properties: Record<string, string> = {}): PluginConfig => ({
      protocol: "JDBC",
      properties: { dialect: "SQLITE", jdbcUrl: file, ...properties },
    });
    return withAdmin(config(), { dialect, name: file, config }, async () => {
      rmSync(folder, { recursive: true, force: true });
    });
  }
  const url = await testPostgresUrl();
  const schema = schemaName(label);
  await adminQuery(url, `create schema "${schema}"`);
  const config = (properties: Record<string, string> = {}): PluginConfig => ({
    protocol: "JDBC",
    properties: { dialect: "POSTGRESQL", url, schema, "pool.size": "4", ...properties },
  });
  return withAdmin(config(), { dialect, name: schema, config }, () =>
    adminQuery(url, `drop schema if exists "${schema}" cascade`),
  );
}

/** Moves every lease of the database `ms` into the past, as if the database clock had advanced. */
export async function backdateLeases(db: Kysely<JobcacheSchema>, ms: number): Promise<void> {
  const micros = Math.round(ms * 1000);
  await sql`update jobcache_lease set grant_time = grant_time - ${micros},
    heartbeat_time = heartbeat_time - ${micros}, expiry = expiry - ${micros}`.execute(db);
}
