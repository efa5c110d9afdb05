/**
 * claimStatus against real databases, beyond the conformance suite: stores with their own pools
 * (as separate processes would have) drain one queue concurrently and never claim a key twice;
 * and a claim passes over a row another transaction has locked instead of waiting for it
 * (SKIP LOCKED on PostgreSQL, MariaDB and MySQL 8).
 */
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import type { ClaimRequest, JobStore } from "../../src/store/store.js";
import { TEST_DIALECTS } from "../setup/sql-test-db.js";
import {
  grantRequest,
  leaseOf,
  storeVariants,
  uniqueCache,
  useSqlDatabase,
  writeRequest,
} from "./fixtures/sql-store-fixture.js";
import { describeMysql } from "./mysql/support/describe-mysql.js";
import { MYSQL_DIALECTS, useMysqlDatabase } from "./mysql/support/mysql-store-fixture.js";

const ENTRIES = 24;

/** `count` entries of status QUEUED in a fresh cache, created in order; every lease released. */
async function queue(store: JobStore, count: number): Promise<{ cacheName: string; keys: string[] }> {
  const cacheName = uniqueCache();
  const keys = Array.from({ length: count }, (_, n) => `job-${String(n).padStart(3, "0")}`);
  for (const key of keys) {
    const request = grantRequest(cacheName, key, null);
    await store.grant(request);
    await store.create({ ...writeRequest(leaseOf(request), 0), status: "QUEUED", value: "{}", close: true });
  }
  return { cacheName, keys };
}

function claimOf(cacheName: string, limit: number): ClaimRequest {
  const ticketIds = Array.from({ length: limit }, () => randomUUID());
  return { cacheName, statuses: ["QUEUED"], durationMs: 60_000, limit, ticketIds, holder: "claim.test" };
}

/** Each store claims batches until a claim comes back empty; the keys each one got, in order. */
async function drain(stores: readonly JobStore[], cacheName: string): Promise<string[][]> {
  return Promise.all(
    stores.map(async (store) => {
      const got: string[] = [];
      for (;;) {
        const claimed = await store.claim!(claimOf(cacheName, 3));
        if (claimed.length === 0) return got;
        got.push(...claimed.map((lease) => lease.entry.key));
      }
    }),
  );
}

function racingCases(open: () => Promise<JobStore>): void {
  it(`stores with their own pools drain ${ENTRIES} entries concurrently: every key claimed exactly once`, async () => {
    const stores = [await open(), await open(), await open()];
    const { cacheName, keys } = await queue(stores[0]!, ENTRIES);
    const got = await drain(stores, cacheName);
    const all = got.flat();
    expect(all.length).toBe(new Set(all).size);
    expect([...all].sort()).toEqual(keys);
    // each store's own claims come oldest first
    for (const mine of got) expect(mine).toEqual([...mine].sort());
    const leases = await stores[0]!.listLeases!(cacheName);
    expect(leases.every((lease) => lease.state === "granted" && lease.holder === "claim.test")).toBe(true);
  });
}

for (const variant of storeVariants(TEST_DIALECTS)) {
  describe(`${variant.name}: claimStatus races`, () => {
    const fixture = useSqlDatabase(variant.dialect, `claim.test ${variant.name}`, variant);
    racingCases(() => fixture.open());

    if (variant.dialect === "POSTGRESQL" && variant.strategies === "native") {
      it("passes over an entry row another transaction has locked, without waiting for it", async () => {
        const store = await fixture.open();
        const { cacheName } = await queue(store, 3);
        const admin = await fixture.db().admin();
        const claimed = await admin.transaction().execute(async (trx) => {
          await sql`select 1 from jobcache_entry where cache_name = ${cacheName} and entry_key = 'job-000' for update`.execute(
            trx,
          );
          return store.claim!(claimOf(cacheName, 1));
        });
        expect(claimed.map((lease) => lease.entry.key)).toEqual(["job-001"]);
        const next = await store.claim!(claimOf(cacheName, 5));
        expect(next.map((lease) => lease.entry.key)).toEqual(["job-000", "job-002"]);
      });
    }
  });
}

for (const dialect of MYSQL_DIALECTS) {
  describeMysql(`${dialect}: claimStatus races`, () => {
    const fixture = useMysqlDatabase(`claim.test ${dialect}`);
    racingCases(() => fixture.open(dialect));

    it("passes over an entry row another transaction has locked, without waiting for it", async () => {
      const store = await fixture.open(dialect);
      const { cacheName } = await queue(store, 3);
      const admin = await fixture.db().admin();
      await admin.query("set session transaction isolation level read committed");
      await admin.beginTransaction();
      try {
        await admin.query(
          "select 1 from jobcache_entry where cache_name = ? and entry_key = 'job-000' for update",
          [cacheName],
        );
        const claimed = await store.claim!(claimOf(cacheName, 1));
        expect(claimed.map((lease) => lease.entry.key)).toEqual(["job-001"]);
      } finally {
        await admin.rollback();
      }
      const next = await store.claim!(claimOf(cacheName, 5));
      expect(next.map((lease) => lease.entry.key)).toEqual(["job-000", "job-002"]);
    });
  });
}
