/**
 * A grant that waited on the lease row while its holder released it: on PostgreSQL a statement's
 * clock is its start time, so a grant that started before the release statement but got the row
 * after it must still not record a grant time before the release (the key was not free then).
 * The race happens by itself when processes hammer one key (a few microseconds of overlap in
 * the lease audit); here a transaction of the test's own holds the row lock, so the order is
 * forced: grant starts, release runs and commits, then the grant takes the row over.
 */
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobCacheManager } from "../../src/base/types.js";
import { createJobCacheManager } from "../../src/manager/create-job-cache-manager.js";
import { deploySchema } from "../../src/store/sql/migrate.js";
import { seedCounters } from "../property/processes/support/counter-entries.js";
import { auditLeases, installLeaseAudit, readLeaseAudit } from "../property/processes/support/lease-audit.js";
import { pollUntil } from "../property/processes/support/poll.js";
import type { CounterValue } from "../property/processes/support/worker-protocol.js";
import { stopFallbackPostgres, testPostgresUrl } from "../setup/pg-test-server.js";
import { createTestDatabase, type TestDatabase } from "../setup/sql-test-db.js";

const CACHE = "ordering";
const KEY = "the-key";

describe("POSTGRESQL: a grant that waited for a release", () => {
  let database: TestDatabase;
  let holder: JobCacheManager;
  let taker: JobCacheManager;
  let locker: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase("POSTGRESQL", "faults/grant-after-release");
    const config = database.config({ "pool.size": "1" });
    await deploySchema(config);
    await installLeaseAudit(await database.admin(), "POSTGRESQL", database.name);
    holder = await createJobCacheManager(config);
    taker = await createJobCacheManager(config);
    locker = new pg.Client({
      connectionString: await testPostgresUrl(),
      options: `-c search_path="${database.name}"`,
    });
    await locker.connect();
  });

  afterAll(async () => {
    await locker?.end();
    await holder?.close();
    await taker?.close();
    await database?.drop();
    await stopFallbackPostgres();
  });

  it("records the grant no earlier than the release it waited for", async () => {
    await seedCounters(holder, CACHE, [KEY]);
    const held = await holder.getCache<CounterValue>(CACHE).openTicket(KEY, 1, 30_000);
    expect(held.superseded).toBe(false);

    // the test's transaction takes the row lock, as a release statement that won the lock would
    await locker.query("begin");
    const xid = (await locker.query<{ xid: string }>("select pg_current_xact_id()::text as xid")).rows[0]
      ?.xid;
    await locker.query("select 1 from jobcache_lease where cache_name = $1 and entry_key = $2 for update", [
      CACHE,
      KEY,
    ]);

    const grant = taker.getCache<CounterValue>(CACHE).openTicket(KEY, 1, 30_000);
    await pollUntil("the grant waits for the row lock", async () => {
      const { rows } = await sql<{ waiting: string }>`select count(*)::text as waiting from pg_locks
        where locktype = 'transactionid' and transactionid::text = ${xid} and not granted`.execute(
        await database.admin(),
      );
      return Number(rows[0]?.waiting) > 0;
    });
    // the release: what closeTicket runs, started after the grant's statement
    await locker.query(
      `update jobcache_lease set state = 'released', expiry = (extract(epoch from statement_timestamp()) * 1000000)::bigint
        where cache_name = $1 and entry_key = $2`,
      [CACHE, KEY],
    );
    await locker.query("commit");
    const taken = await grant;
    expect(taken.superseded).toBe(false);

    const audit = auditLeases(await readLeaseAudit(await database.admin(), CACHE));
    expect(audit.problems).toEqual([]);
    const [, released, grantedAfter] = audit.intervals;
    expect(grantedAfter?.start).toBeGreaterThanOrEqual(released?.end ?? Number.POSITIVE_INFINITY);
    expect(taken.grantTime.getTime() * 1000).toBeGreaterThanOrEqual(
      Math.floor((released?.end ?? 0) / 1000) * 1000,
    );
  });
});
