/**
 * pg_terminate_backend for the backends of one test only: those whose client port is one of
 * the test's proxy connections (never another test's or user's sessions on the shared server).
 */
import { type Kysely, sql } from "kysely";
import type { JobcacheSchema } from "../../../src/store/sql/schema.js";

/** Terminates the backends connected from `ports`; returns how many were terminated. */
export async function terminateBackends(
  db: Kysely<JobcacheSchema>,
  ports: ReadonlySet<number>,
): Promise<number> {
  if (ports.size === 0) return 0;
  const list = [...ports];
  const result = await sql<{
    pid: number;
    terminated: boolean;
  }>`select pid, pg_terminate_backend(pid) as terminated
    from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid()
      and application_name = 'jobcache' and client_addr = '127.0.0.1' and client_port in (${sql.join(list)})`.execute(
    db,
  );
  return result.rows.filter((row) => row.terminated).length;
}
