/**
 * Issue 8 item 21: on PostgreSQL a fenced write judges the lease's expiry after it holds the
 * lease row's lock, by the database clock at that moment, not at statement start. The test holds
 * the row lock from another connection across the lease's expiry: the write that waited behind
 * it must be refused, whether the lock holder only locked the row or also changed it.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ECacheTicket } from "../../src/base/errors.js";
import type { JobCache, JobCacheManager } from "../../src/base/types.js";
import { createJobCacheManager } from "../../src/manager/create-job-cache-manager.js";
import { deploySchema } from "../../src/store/sql/migrate.js";
import { pollUntil } from "../property/processes/support/poll.js";
import { stopFallbackPostgres, testPostgresUrl } from "../setup/pg-test-server.js";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "../setup/sql-test-db.js";

const TICKET_MS = 1500;

describe.runIf(TEST_DIALECTS.includes("POSTGRESQL"))(
  "POSTGRESQL: a write waiting for the lease row lock",
  () => {
    let database: TestDatabase;
    let manager: JobCacheManager;
    let cache: JobCache<{ step: number }>;
    let locker: pg.Client;

    beforeAll(async () => {
      database = await createTestDatabase("POSTGRESQL", "sql/write-expiry-at-lock");
      const config = database.config();
      await deploySchema(config);
      manager = await createJobCacheManager(config);
      cache = manager.getCache("jobs");
      locker = new pg.Client({
        connectionString: await testPostgresUrl(),
        options: `-c search_path="${database.name}"`,
      });
      await locker.connect();
    });

    afterAll(async () => {
      await locker?.end();
      await manager?.close();
      await database?.drop();
      await stopFallbackPostgres();
    });

    /** A key with an entry at revision 1 and a fresh ticket of TICKET_MS on it. */
    async function ticketOn(key: string) {
      const creator = await cache.openNewTicket(key, 60_000);
      await cache.createEntry(creator, "QUEUED", { step: 1 });
      await cache.closeTicket(creator);
      return cache.openTicket(key, 1, TICKET_MS);
    }

    /** Locks the key's lease row in an open transaction of the test's own connection; its xid. */
    async function lockLeaseRow(key: string, change: boolean): Promise<string> {
      await locker.query("begin");
      await locker.query("select 1 from jobcache_lease where entry_key = $1 for update", [key]);
      if (change) {
        await locker.query("update jobcache_lease set heartbeat_time = heartbeat_time where entry_key = $1", [
          key,
        ]);
      }
      const { rows } = await locker.query("select pg_current_xact_id()::text as xid");
      return rows[0].xid as string;
    }

    /** Waits until a session waits for our transaction: the write, blocked on the row we locked. */
    async function writeIsWaiting(xid: string): Promise<void> {
      await pollUntil("the write waits for the lease row lock", async () => {
        const { rows } = await locker.query(
          "select count(*)::int as n from pg_locks where locktype = 'transactionid' and not granted and transactionid::text = $1",
          [xid],
        );
        return rows[0].n > 0;
      });
    }

    async function leaseExpiredByDatabaseClock(key: string): Promise<void> {
      await pollUntil("the lease has expired by the database clock", async () => {
        const { rows } = await locker.query(
          "select expiry < (extract(epoch from clock_timestamp()) * 1000000)::bigint as expired from jobcache_lease where entry_key = $1",
          [key],
        );
        return rows[0].expired === true;
      });
    }

    for (const change of [false, true]) {
      const holder = change ? "locks and updates" : "only locks";
      it(`is refused when the lease expired while it waited (the lock holder ${holder} the row)`, async () => {
        const key = change ? "job-updated" : "job-locked";
        const ticket = await ticketOn(key);
        const xid = await lockLeaseRow(key, change);
        const write = cache.updateEntry(ticket, "RUNNING", { step: 2 }).then(
          (revision) => ({ revision }),
          (error: unknown) => ({ error }),
        );
        await writeIsWaiting(xid);
        await leaseExpiredByDatabaseClock(key);
        await locker.query("commit");
        const outcome = await write;
        expect(outcome).toHaveProperty("error");
        expect((outcome as { error: unknown }).error).toBeInstanceOf(ECacheTicket);
        const entry = await cache.queryKey(key);
        expect(entry?.revision).toBe(1);
        expect(entry?.status).toBe("QUEUED");
      });
    }

    it("commits when the lock is released before the expiry", async () => {
      const ticket = await ticketOn("job-in-time");
      const xid = await lockLeaseRow("job-in-time", false);
      const write = cache.updateEntry(ticket, "RUNNING", { step: 2 });
      await writeIsWaiting(xid);
      await locker.query("commit");
      expect(await write).toBe(2);
      expect((await cache.queryKey("job-in-time"))?.status).toBe("RUNNING");
    });
  },
);
