/**
 * No full-table scans on the hot path: with a few thousand rows, on fresh tables that were never
 * analyzed and again with fresh statistics, the plan of every statement the store sends uses the
 * indexes on (cache, key), (cache, status, entry_id) and the lease primary key.
 */
import { CompiledQuery, type LogEvent, sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { SqlStore } from "../../src/store/sql/sql-store.js";
import { TEST_DIALECTS, type TestDialect } from "../setup/sql-test-db.js";
import { grantRequest, leaseOf, useSqlDatabase, writeRequest } from "./fixtures/sql-store-fixture.js";

const ROWS = 3000;

/** A plan that scans a jobcache table without an index, per dialect's EXPLAIN wording. */
const FULL_SCAN: Record<TestDialect, RegExp> = {
  POSTGRESQL: /Seq Scan on jobcache_/,
  SQLITE: /\bSCAN (jobcache_\w+|[el])\b(?! USING)/,
};

/**
 * A lease read by the cache name alone (the expiry index with no bound on the key): a join
 * against every lease of the cache, the plan PostgreSQL chose for queryStatus on fresh tables.
 */
const ALL_LEASES_OF_A_CACHE: Record<TestDialect, RegExp> = {
  POSTGRESQL:
    /Index Cond: \(\(cache_name\)::text = [^\n]*\)\)?\n(?![^\n]*entry_key)[^\n]*Filter: [^\n]*entry_key/,
  SQLITE: /SEARCH l USING INDEX jobcache_lease_by_expiry \(cache_name=\?\)/,
};

/**
 * Entries read by the cache name alone, their status tested row by row (and then all of them
 * sorted): the plan PostgreSQL chose for `status in (...)` on fresh tables.
 */
const STATUS_NOT_FROM_INDEX: Partial<Record<TestDialect, RegExp>> = {
  POSTGRESQL: /Filter: [^\n]*\(status\)::text = ANY/,
};

const EXPLAIN: Record<TestDialect, string> = { POSTGRESQL: "explain ", SQLITE: "explain query plan " };

/** Runs every hot-path operation once and returns the statements it sent (no BEGIN / COMMIT). */
async function hotPathStatements(open: (log: (event: LogEvent) => void) => Promise<SqlStore>, run: number) {
  const captured: CompiledQuery[] = [];
  const store = await open((event) => {
    if (event.level === "query") captured.push(event.query);
  });
  captured.length = 0; // opening checks the schema version: not the hot path
  const request = grantRequest("cache3", `fresh-key-${run}`, null);
  const lease = leaseOf(request);
  await store.grant(request);
  await store.grant(grantRequest("cache3", `fresh-key-${run}`, null));
  await store.renew({ ...lease, durationMs: 5_000 });
  await store.create({ ...writeRequest(lease, 0), status: "S3", value: "v" });
  await store.update({ ...writeRequest(lease, 1), status: "S3", value: "v" });
  await store.read(lease);
  await store.queryKey(lease);
  await store.queryStatus("cache3", ["S3"], { includeOpenTickets: false, limit: 10 });
  await store.queryStatus("cache3", ["S1", "S3"], { includeOpenTickets: false, limit: 10 });
  await store.queryStatus("cache3", ["S1", "S3"], { includeOpenTickets: true, limit: undefined });
  await store.release(lease);
  return captured.filter((query) => !/^\s*(begin|commit|rollback)/i.test(query.sql));
}

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: index use`, () => {
    const fixture = useSqlDatabase(dialect, `explain.test ${dialect}`);
    let run = 0;

    beforeAll(async () => {
      await fixture.open(); // deploys the schema
      const admin = await fixture.db().admin();
      // Fresh tables stay un-analyzed until the second test: no background ANALYZE meanwhile.
      if (dialect === "POSTGRESQL") {
        for (const table of ["jobcache_entry", "jobcache_lease"])
          await sql`alter table ${sql.table(table)} set (autovacuum_enabled = false)`.execute(admin);
      }
      // Many caches, statuses and leases around the one the test uses.
      await sql`insert into jobcache_entry (cache_name, entry_key, revision, status, value)
        select 'cache' || (n % 20), 'key' || n, 1, 'S' || (n % 7), 'v'
        from (with recursive s(n) as (select 1 union all select n + 1 from s where n < ${ROWS}) select n from s) t`.execute(
        admin,
      );
      await sql`insert into jobcache_lease (cache_name, entry_key, ticket_id, revision, state, grant_time, heartbeat_time, expiry)
        select cache_name, entry_key, 't', 1, 'released', 0, 0, 0 from jobcache_entry`.execute(admin);
    });

    async function expectIndexPlans(): Promise<void> {
      const admin = await fixture.db().admin();
      const statements = await hotPathStatements((log) => fixture.open({ log }), ++run);
      expect(statements.length).toBeGreaterThanOrEqual(11);
      for (const query of statements) {
        const plan = await admin.executeQuery<Record<string, unknown>>(
          CompiledQuery.raw(EXPLAIN[dialect] + query.sql, [...query.parameters]),
        );
        const text = plan.rows.map((row) => Object.values(row).join(" ")).join("\n");
        expect(text, `plan of: ${query.sql}`).not.toMatch(FULL_SCAN[dialect]);
        expect(text, `plan of: ${query.sql}`).not.toMatch(ALL_LEASES_OF_A_CACHE[dialect]);
        if (/\blimit\b/i.test(query.sql))
          expect(text, `plan of: ${query.sql}`).not.toMatch(STATUS_NOT_FROM_INDEX[dialect] ?? /$^/);
      }
    }

    it("plans every hot-path statement with indexes on fresh, never analyzed tables", async () => {
      await expectIndexPlans();
    });

    it("plans every hot-path statement with indexes once the tables are analyzed", async () => {
      await sql.raw("analyze").execute(await fixture.db().admin());
      await expectIndexPlans();
    });
  });
}
