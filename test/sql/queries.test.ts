import { describe, expect, it } from "vitest";
import type { SqlStore } from "../../src/store/sql/sql-store.js";
import { backdateLeases, TEST_DIALECTS } from "../setup/sql-test-db.js";
import {
  grantRequest,
  leaseOf,
  uniqueCache,
  useSqlDatabase,
  writeRequest,
} from "./fixtures/sql-store-fixture.js";

async function put(store: SqlStore, cacheName: string, key: string, status: string, keepOpen = false) {
  const request = grantRequest(cacheName, key, null, 60_000);
  expect((await store.grant(request)).outcome).toBe("granted");
  await store.create({ ...writeRequest(leaseOf(request), 0), status, value: `value of ${key}` });
  if (!keepOpen) await store.release(leaseOf(request));
  return leaseOf(request);
}

const all = { includeOpenTickets: true, limit: undefined };
const free = { includeOpenTickets: false, limit: undefined };

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: queries`, () => {
    const fixture = useSqlDatabase(dialect, `queries.test ${dialect}`);

    it("lists entries by status, oldest created first, with a limit", async () => {
      const store = await fixture.open();
      const cache = uniqueCache();
      for (const key of ["c", "a", "b"]) await put(store, cache, key, "QUEUED");
      await put(store, cache, "d", "DONE");
      const keys = async (statuses: string[], limit?: number) =>
        (await store.queryStatus(cache, statuses, { includeOpenTickets: false, limit })).map(
          (entry) => entry.key,
        );
      expect(await keys(["QUEUED"])).toEqual(["c", "a", "b"]);
      expect(await keys(["DONE", "QUEUED"])).toEqual(["c", "a", "b", "d"]);
      expect(await keys(["QUEUED"], 2)).toEqual(["c", "a"]);
      expect(await keys([])).toEqual([]);
      expect(await store.queryStatus(uniqueCache(), ["QUEUED"], free)).toEqual([]);
    });

    it("orders a re-created entry after older ones", async () => {
      const store = await fixture.open();
      const cache = uniqueCache();
      const first = await put(store, cache, "first", "QUEUED", true);
      await put(store, cache, "second", "QUEUED");
      await store.delete(writeRequest(first, 1));
      await store.create({ ...writeRequest(first, 0), status: "QUEUED", value: "again" });
      const found = await store.queryStatus(cache, ["QUEUED"], all);
      expect(found.map((entry) => entry.key)).toEqual(["second", "first"]);
    });

    it("hides entries with a live lease unless asked; expired and released leases hide nothing", async () => {
      const store = await fixture.open();
      const cache = uniqueCache();
      await put(store, cache, "open", "QUEUED", true);
      await put(store, cache, "closed", "QUEUED");
      expect((await store.queryStatus(cache, ["QUEUED"], free)).map((entry) => entry.key)).toEqual([
        "closed",
      ]);
      expect((await store.queryStatus(cache, ["QUEUED"], all)).map((entry) => entry.key)).toEqual([
        "open",
        "closed",
      ]);
      await backdateLeases(await fixture.db().admin(), 61_000);
      expect((await store.queryStatus(cache, ["QUEUED"], free)).map((entry) => entry.key)).toEqual([
        "open",
        "closed",
      ]);
    });

    it("queryKey is never blocked by a lease and sees only its cache", async () => {
      const store = await fixture.open();
      const cache = uniqueCache();
      await put(store, cache, "k", "QUEUED", true);
      expect(await store.queryKey({ cacheName: cache, key: "k" })).toEqual({
        key: "k",
        revision: 1,
        status: "QUEUED",
        value: "value of k",
      });
      expect(await store.queryKey({ cacheName: uniqueCache(), key: "k" })).toBeUndefined();
    });

    it("lists leases with their derived state", async () => {
      const store = await fixture.open();
      const cache = uniqueCache();
      await put(store, cache, "released", "S");
      await put(store, cache, "committed", "S", true);
      const held = grantRequest(cache, "granted", null);
      await store.grant(held);
      const states = Object.fromEntries(
        (await store.listLeases(cache)).map((lease) => [lease.key, lease.state]),
      );
      expect(states).toEqual({ committed: "committed", granted: "granted", released: "released" });
      expect((await store.listLeases()).length).toBeGreaterThanOrEqual(3);
    });
  });
}
