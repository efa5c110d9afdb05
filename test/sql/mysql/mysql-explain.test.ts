/**
 * Every statement the store sends on MySQL / MariaDB reads the jobcache tables through an index:
 * statements are captured from Kysely's query log while the operations run on a loaded database,
 * then EXPLAINed, before and after ANALYZE TABLE; no plan row may scan a whole jobcache table.
 */
import type { LogEvent } from "kysely";
import type mysql from "mysql2/promise";
import { beforeAll, expect, it } from "vitest";
import { describeMysql } from "./support/describe-mysql.js";
import {
  grantRequest,
  leaseOf,
  MYSQL_DIALECTS,
  useMysqlDatabase,
  writeRequest,
} from "./support/mysql-store-fixture.js";

const ENTRIES = 3000;

interface PlanRow {
  readonly table: string | null;
  readonly type: string | null;
  readonly key: string | null;
}

for (const dialect of MYSQL_DIALECTS) {
  describeMysql(`${dialect}: query plans`, () => {
    const fixture = useMysqlDatabase(`mysql-explain.test ${dialect}`);
    const captured: { sql: string; parameters: readonly unknown[] }[] = [];
    const log = (event: LogEvent) => {
      if (event.level === "query")
        captured.push({ sql: event.query.sql, parameters: event.query.parameters });
    };

    beforeAll(async () => {
      await fixture.open(dialect); // deploys the schema
      const admin = await fixture.db().admin();
      // Many caches, keys and statuses, so a full scan would be the costly plan.
      const rows = Array.from({ length: ENTRIES }, (_, i) => [
        `cache${i % 30}`,
        `key${i}`,
        1,
        `S${i % 7}`,
        "{}",
      ]);
      await admin.query(
        "insert into jobcache_entry (cache_name, entry_key, revision, status, value) values ?",
        [rows],
      );
      const leases = rows.map(([cache, key]) => [cache, key, `t-${key}`, 1, "released", 1, 1, 1]);
      await admin.query(
        `insert into jobcache_lease (cache_name, entry_key, ticket_id, revision, state, grant_time,
          heartbeat_time, expiry) values ?`,
        [leases],
      );
    });

    /** Runs every operation once (the `run`th time: fresh keys) and EXPLAINs what it sent. */
    async function expectIndexPlans(run: number): Promise<void> {
      const store = await fixture.open(dialect, { internals: { log } });
      captured.length = 0;
      const fresh = grantRequest("cache3", `new-key-${run}`, null);
      const taken = grantRequest("cache3", `key${3 + 30 * run}`, 1);
      await store.grant(fresh);
      await store.grant(grantRequest("cache3", `new-key-${run}`, null)); // refused
      await store.grant(taken); // takeover of a released row
      await store.create({ ...writeRequest(leaseOf(fresh), 0), status: "S1", value: "{}" });
      await store.update({ ...writeRequest(leaseOf(taken), 1), status: "S2", value: "{}" });
      await store.update({ ...writeRequest(leaseOf(taken), 9), status: "S2", value: "{}" }).catch(() => {});
      await store.renew({ ...leaseOf(fresh), durationMs: 10_000 });
      await store.read(leaseOf(fresh));
      await store.queryKey(fresh);
      await store.queryStatus("cache3", ["S1", "S2"], { includeOpenTickets: false, limit: 10 });
      await store.queryStatus("cache3", ["S1"], { includeOpenTickets: false, limit: 10 });
      await store.queryStatus("cache3", ["S1"], { includeOpenTickets: true, limit: undefined });
      await store.listLeases("cache3");
      await store.claim({
        cacheName: "cache4",
        statuses: ["S4"],
        durationMs: 10_000,
        limit: 3,
        ticketIds: ["a", "b", "c"],
      });
      await store.delete(writeRequest(leaseOf(fresh), 1));
      await store.release(leaseOf(taken));

      const admin = await fixture.db().admin();
      // BEGIN/COMMIT and INSERT ... VALUES read nothing (EXPLAIN shows the insert's target as "ALL").
      const readsNothing = /^\s*(begin|commit|rollback|insert\b[\s\S]*\bvalues\s*\()/i;
      const statements = captured.filter((statement) => !readsNothing.test(statement.sql));
      // MariaDB sends fewer statements (grants are one upsert with RETURNING)
      expect(statements.length).toBeGreaterThan(13);
      const scans: string[] = [];
      const keys = new Set<string>();
      for (const statement of statements) {
        const [plan] = await admin.query<(PlanRow & mysql.RowDataPacket)[]>(
          `explain ${statement.sql}`,
          statement.parameters as unknown[],
        );
        for (const row of plan) {
          const scansTable = row.table?.startsWith("jobcache_") || ["l", "e"].includes(row.table ?? "");
          if (scansTable && row.type === "ALL")
            scans.push(`${row.table}: ${statement.sql.replace(/\s+/g, " ")}`);
          if (scansTable && row.key !== null) keys.add(row.key);
        }
      }
      expect(scans).toEqual([]);
      // the lease expiry index may serve the claim's "no live lease" test, as the optimizer likes
      expect([...keys].filter((key) => key !== "jobcache_lease_by_expiry").sort()).toEqual([
        "PRIMARY",
        "jobcache_entry_by_status",
        "jobcache_entry_key",
      ]);
    }

    it("uses an index for every statement of every operation on tables never analyzed", async () => {
      await expectIndexPlans(1);
    });

    it("uses an index for every statement of every operation once the tables are analyzed", async () => {
      await (await fixture.db().admin()).query("analyze table jobcache_entry, jobcache_lease");
      await expectIndexPlans(2);
    });
  });
}
