import type { LogEvent } from "kysely";
import { beforeEach, expect, it } from "vitest";
import { ECacheDuplicate, ECacheTicket } from "../../../src/base/errors.js";
import { describeMysql } from "./support/describe-mysql.js";
import {
  grantRequest,
  leaseOf,
  MYSQL_DIALECTS,
  uniqueCache,
  useMysqlDatabase,
  writeRequest,
} from "./support/mysql-store-fixture.js";
import { backdateMysqlLeases } from "./support/mysql-test-db.js";

for (const dialect of MYSQL_DIALECTS) {
  describeMysql(`${dialect}: SQL store`, () => {
    const fixture = useMysqlDatabase(`mysql-store.test ${dialect}`);
    const statements: string[] = [];
    const everySql: string[] = [];
    const log = (event: LogEvent) => {
      if (event.level !== "query") return;
      everySql.push(event.query.sql);
      statements.push(event.query.sql.trim().split(/\s+/)[0]!.toLowerCase());
    };
    /** The first words of the statements `run` sent. */
    const sent = async (run: () => Promise<unknown>) => {
      statements.length = 0;
      await run().catch(() => {});
      return [...statements];
    };
    beforeEach(() => {
      statements.length = 0;
    });

    it("gives exactly one of many concurrent grants on one key, across stores", async () => {
      const stores = [await fixture.open(dialect), await fixture.open(dialect), await fixture.open(dialect)];
      const cache = uniqueCache();
      for (const key of ["race-1", "race-2", "race-3"]) {
        const results = await Promise.all(
          Array.from({ length: 12 }, (_, i) => stores[i % 3]!.grant(grantRequest(cache, key, null))),
        );
        expect(results.filter((result) => result.outcome === "granted")).toHaveLength(1);
      }
    });

    it("creates many new keys at once without exhausting retries (no gap-lock deadlocks)", async () => {
      const stores = [await fixture.open(dialect), await fixture.open(dialect)];
      const cache = uniqueCache();
      const revisions = await Promise.all(
        Array.from({ length: 60 }, async (_, i) => {
          const store = stores[i % 2]!;
          const request = grantRequest(cache, `job-${i}`, null);
          expect((await store.grant(request)).outcome).toBe("granted");
          return store.create({
            ...writeRequest(leaseOf(request), 0),
            status: "QUEUED",
            value: `{"i":${i}}`,
          });
        }),
      );
      expect(revisions).toEqual(Array.from({ length: 60 }, () => 1));
      const queued = await stores[0]!.queryStatus(cache, ["QUEUED"], {
        includeOpenTickets: true,
        limit: undefined,
      });
      expect(queued).toHaveLength(60);
    });

    it("keeps keys and statuses that differ only in case apart", async () => {
      const store = await fixture.open(dialect);
      const cache = uniqueCache();
      const upper = grantRequest(cache, "Job", null);
      const lower = grantRequest(cache, "job", null);
      expect((await store.grant(upper)).outcome).toBe("granted");
      expect((await store.grant(lower)).outcome).toBe("granted");
      await store.create({ ...writeRequest(leaseOf(upper), 0), status: "Done", value: "upper" });
      await store.create({ ...writeRequest(leaseOf(lower), 0), status: "DONE", value: "lower" });
      expect((await store.queryKey({ cacheName: cache, key: "Job" }))?.value).toBe("upper");
      expect(await store.queryKey({ cacheName: cache, key: "JOB" })).toBeUndefined();
      const done = await store.queryStatus(cache, ["DONE"], { includeOpenTickets: true, limit: undefined });
      expect(done.map((entry) => entry.key)).toEqual(["job"]);
    });

    it("round-trips unicode beyond the BMP and a multi-megabyte value", async () => {
      const store = await fixture.open(dialect);
      const request = grantRequest(uniqueCache(), "k", null);
      await store.grant(request);
      const value = `{"text":"héllo wörld 🎉 𝄞 漢字","pad":"${"x".repeat(3_000_000)}"}`;
      await store.create({ ...writeRequest(leaseOf(request), 0), status: "S", value });
      expect((await store.read(leaseOf(request)))?.value).toBe(value);
    });

    it("refuses a write whose lease expired by the database clock, and a duplicate create", async () => {
      const store = await fixture.open(dialect);
      const request = grantRequest(uniqueCache(), "k", null, 60_000);
      await store.grant(request);
      await store.create({ ...writeRequest(leaseOf(request), 0), status: "S", value: "{}" });
      await expect(
        store.create({ ...writeRequest(leaseOf(request), 0), status: "S", value: "{}" }),
      ).rejects.toThrow(ECacheDuplicate);
      await backdateMysqlLeases(await fixture.db().admin(), 61_000);
      await expect(
        store.update({ ...writeRequest(leaseOf(request), 1), status: "T", value: "{}" }),
      ).rejects.toThrow(ECacheTicket);
      expect((await store.queryKey(request))?.status).toBe("S");
    });

    it("returns the original revision to a retried write (same request id)", async () => {
      const store = await fixture.open(dialect);
      const request = grantRequest(uniqueCache(), "k", null);
      await store.grant(request);
      const create = { ...writeRequest(leaseOf(request), 0), status: "S", value: "{}" };
      expect(await store.create(create)).toBe(1);
      expect(await store.create(create)).toBe(1);
      expect((await store.queryKey(request))?.revision).toBe(1);
    });

    it("sends the documented statements per operation (docs/dialects.md); RETURNING only on MariaDB inserts", async () => {
      const store = await fixture.open(dialect, { internals: { log } });
      const cache = uniqueCache();
      const holder = grantRequest(cache, "k", null);
      const lease = leaseOf(holder);
      const queued = grantRequest(cache, "q", null);
      await store.grant(queued);
      await store.create({ ...writeRequest(leaseOf(queued), 0), status: "Q", value: "{}", close: true });
      everySql.length = 0;
      const counts = {
        grant: await sent(() => store.grant(holder)),
        grantRefused: await sent(() => store.grant(grantRequest(cache, "k", null))),
        create: await sent(() => store.create({ ...writeRequest(lease, 0), status: "S", value: "{}" })),
        update: await sent(() => store.update({ ...writeRequest(lease, 1), status: "T", value: "{}" })),
        updateRefused: await sent(() =>
          store.update({ ...writeRequest(lease, 7), status: "T", value: "{}" }),
        ),
        renew: await sent(() => store.renew({ ...lease, durationMs: 10_000 })),
        read: await sent(() => store.read(lease)),
        queryKey: await sent(() => store.queryKey(holder)),
        queryStatus: await sent(() =>
          store.queryStatus(cache, ["T"], { includeOpenTickets: false, limit: 10 }),
        ),
        claim: await sent(() =>
          store.claim({
            cacheName: cache,
            statuses: ["Q"],
            durationMs: 10_000,
            limit: 2,
            ticketIds: ["c1", "c2"],
          }),
        ),
        claimNone: await sent(() =>
          store.claim({
            cacheName: cache,
            statuses: ["Q"],
            durationMs: 10_000,
            limit: 2,
            ticketIds: ["c3", "c4"],
          }),
        ),
        delete: await sent(() => store.delete(writeRequest(lease, 2))),
        release: await sent(() => store.release(lease)),
        grantTakeover: await sent(() => store.grant(grantRequest(cache, "k", null))),
      };
      const transaction = (...inner: string[]) => ["begin", ...inner, "commit"];
      // MariaDB reads the upsert's outcome from RETURNING; MySQL reads the row back
      const upsert = dialect === "MARIADB" ? ["insert"] : ["insert", "select"];
      expect(counts).toEqual({
        // one INSERT ... ON DUPLICATE KEY UPDATE decides; a refusal is classified by one probe
        grant: upsert,
        grantRefused: ["insert", "select"],
        // the fenced lease UPDATE first (it records the write and locks the row), then the entry
        create: transaction("update", "insert"),
        // the fenced update is one multi-table UPDATE; a refusal is explained by one probe
        update: ["update"],
        updateRefused: ["update", "select"],
        // the new expiry comes back in the reply (LAST_INSERT_ID(expr)), not by a second read
        renew: ["update"],
        read: ["select"],
        queryKey: ["select"],
        queryStatus: ["select"],
        // SELECT ... FOR UPDATE SKIP LOCKED, then one upsert of every picked lease
        claim: transaction("select", ...upsert),
        claimNone: transaction("select"),
        delete: transaction("update", "delete"),
        release: ["update"],
        grantTakeover: upsert,
      });
      expect(everySql.length).toBeGreaterThan(20);
      const returning = everySql.filter((text) => /\breturning\b/i.test(text));
      if (dialect === "MYSQL") expect(returning).toEqual([]);
      else for (const text of returning) expect(text).toMatch(/^\s*insert into jobcache_lease/i);
    });
  });
}
