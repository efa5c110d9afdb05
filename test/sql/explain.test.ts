/**
 * No full-table scans on the hot path: with a few thousand rows and fresh statistics, the plan of
 * every statement the store sends uses the indexes on (cache, key), (cache, status, entry_id)
 * and the lease primary key.
 */
import { CompiledQuery, type LogEvent, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { TEST_DIALECTS, type TestDialect } from "../setup/sql-test-db.js";
import { grantRequest, leaseOf, useSqlDatabase, writeRequest } from "./fixtures/sql-store-fixture.js";

const ROWS = 3000;

/** A plan that scans a jobcache table without an index, per dialect's EXPLAIN wording. */
const FULL_SCAN: Record<TestDialect, RegExp> = {
  POSTGRESQL: /Seq Scan on jobcache_/,
  SQLITE: /\bSCAN (jobcache_\w+|[el])\b(?! USING)/,
};

const EXPLAIN: Record<TestDialect, string> = { POSTGRESQL: "explain ", SQLITE: "explain query plan " };

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: index use`, () => {
    const fixture = useSqlDatabase(dialect, `explain.test ${dialect}`);

    it("plans every hot-path statement with indexes", async () => {
      const captured: CompiledQuery[] = [];
      const log = (event: LogEvent) => {
        if (event.level === "query") captured.push(event.query);
      };
      const store = await fixture.open({ log });
      const admin = await fixture.db().admin();
      // Many caches, statuses and leases around the one the test uses.
      await sql`insert into jobcache_entry (cache_name, entry_key, revision, status, value)
        select 'cache' || (n % 20), 'key' || n, 1, 'S' || (n % 7), 'v'
        from (with recursive s(n) as (select 1 union all select n + 1 from s where n < ${ROWS}) select n from s) t`.execute(
        admin,
      );
      await sql`insert into jobcache_lease (cache_name, entry_key, ticket_id, revision, state, grant_time, heartbeat_time, expiry)
        select cache_name, entry_key, 't', 1, 'released', 0, 0, 0 from jobcache_entry`.execute(admin);
      await sql.raw("analyze").execute(admin);

      const request = grantRequest("cache3", "fresh-key", null);
      const lease = leaseOf(request);
      captured.length = 0;
      await store.grant(request);
      await store.grant(grantRequest("cache3", "fresh-key", null));
      await store.renew({ ...lease, durationMs: 5_000 });
      await store.create({ ...writeRequest(lease, 0), status: "S3", value: "v" });
      await store.update({ ...writeRequest(lease, 1), status: "S3", value: "v" });
      await store.read(lease);
      await store.queryKey(lease);
      await store.queryStatus("cache3", ["S1", "S3"], { includeOpenTickets: false, limit: 10 });
      await store.release(lease);

      const statements = captured.filter((query) => !/^\s*(begin|commit|rollback)/i.test(query.sql));
      expect(statements.length).toBeGreaterThanOrEqual(9);
      for (const query of statements) {
        const plan = await admin.executeQuery<Record<string, unknown>>(
          CompiledQuery.raw(EXPLAIN[dialect] + query.sql, [...query.parameters]),
        );
        const text = plan.rows.map((row) => Object.values(row).join(" ")).join("\n");
        expect(text, `plan of: ${query.sql}`).not.toMatch(FULL_SCAN[dialect]);
      }
    });
  });
}
