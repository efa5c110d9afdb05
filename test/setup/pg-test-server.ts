/**
 * The PostgreSQL server for SQL tests: JOBCACHE_TEST_PG_URL (default: the shared server at
 * 127.0.0.1:5432, database test). If it does not answer, a throwaway embedded server is started
 * for this test file, except under CI=true, where the shared server must answer.
 */
import pg from "pg";
import { startThrowawayPostgres, type ThrowawayPostgres } from "./throwaway-postgres.js";

const DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/test";

let resolved: Promise<string> | undefined;
let fallback: ThrowawayPostgres | undefined;

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function resolve(): Promise<string> {
  const url = process.env.JOBCACHE_TEST_PG_URL ?? DEFAULT_URL;
  if (await answers(url)) return url;
  if (process.env.CI === "true") {
    throw new Error(
      `CI=true and the PostgreSQL server for tests does not answer at ${url.replace(/:[^:@/]*@/, ":***@")}`,
    );
  }
  fallback = await startThrowawayPostgres();
  return fallback.url;
}

/** The URL of a PostgreSQL server for this test file (connection string with a database). */
export function testPostgresUrl(): Promise<string> {
  resolved ??= resolve();
  return resolved;
}

/** Stops the fallback server if this file started one (call from afterAll). */
export async function stopFallbackPostgres(): Promise<void> {
  await fallback?.destroy();
  fallback = undefined;
  resolved = undefined;
}
