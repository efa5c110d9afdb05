/**
 * POSTGRESQL in a schema of its own on the server of JOBCACHE_BENCH_PG_URL (default the local
 * test server), dropped afterwards. Skipped with a note when the server does not answer.
 * @module
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { TargetOutcome } from "./bench-target.js";
import { openSqlBenchStore } from "./sql-bench-store.js";

const DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/test";

/** The server URL the benchmark uses. */
export function postgresBenchUrl(): string {
  return process.env.JOBCACHE_BENCH_PG_URL ?? process.env.JOBCACHE_TEST_PG_URL ?? DEFAULT_URL;
}

/** Where the server is, without user or password. */
export function where(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || "5432"}${parsed.pathname}`;
}

/** Runs one statement on the server of `url` over a connection of its own. */
export async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query(text);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Opens POSTGRESQL in a new schema, or says why not. */
export async function openPostgresTarget(): Promise<TargetOutcome> {
  const url = postgresBenchUrl();
  const schema = `jc_bench_${randomBytes(4).toString("hex")}`;
  try {
    await adminQuery(url, `create schema "${schema}"`);
  } catch (error) {
    const reason =
      error instanceof Error ? ((error as { code?: string }).code ?? error.message) : String(error);
    return {
      skipped:
        `PostgreSQL at ${where(url)} is not available (${reason}). Start it (e.g. \`pg_ctlcluster ` +
        "<version> main start`) or point JOBCACHE_BENCH_PG_URL at a server.",
    };
  }
  const dropSchema = () => adminQuery(url, `drop schema if exists "${schema}" cascade`);
  try {
    const store = await openSqlBenchStore({
      protocol: "JDBC",
      properties: { dialect: "POSTGRESQL", url, schema, autoDeploy: "true" },
    });
    const version = (await store.queryText("show server_version")).split(" ")[0];
    const commit = await store.queryText("show synchronous_commit");
    const fsync = await store.queryText("show fsync");
    return {
      open: {
        manager: store.manager,
        version: `PostgreSQL ${version} (driver pg)`,
        settings: `synchronous_commit=${commit}, fsync=${fsync}, schema ${schema} at ${where(url)}, TCP`,
        baselines: [store.roundTrip, await store.commitBaseline()],
        batch: 1,
        statements: store.statements,
        analyze: () => store.execute("analyze jobcache_entry, jobcache_lease"),
        async close() {
          await store.manager.close();
          await dropSchema();
        },
      },
    };
  } catch (error) {
    await dropSchema().catch(() => {});
    throw error;
  }
}
