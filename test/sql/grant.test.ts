import { describe, expect, it } from "vitest";
import { backdateLeases, TEST_DIALECTS } from "../setup/sql-test-db.js";
import {
  grantRequest,
  leaseOf,
  storeVariants,
  uniqueCache,
  useSqlDatabase,
  writeRequest,
} from "./fixtures/sql-store-fixture.js";

for (const variant of storeVariants(TEST_DIALECTS)) {
  describe(`${variant.name}: grant`, () => {
    const fixture = useSqlDatabase(variant.dialect, `grant.test ${variant.name}`, variant);

    it("grants a new key once; a second new ticket is superseded", async () => {
      const store = await fixture.open();
      const cache = uniqueCache();
      const first = await store.grant(grantRequest(cache, "k", null));
      const second = await store.grant(grantRequest(cache, "k", null));
      expect(first.outcome).toBe("granted");
      expect(first.expiry.getTime() - first.grantTime.getTime()).toBe(30_000);
      expect(second.outcome).toBe("superseded");
    });

    it("answers missing, superseded and granted for openTicket by the entry's revision", async () => {
      const store = await fixture.open();
      const cache = uniqueCache();
      expect((await store.grant(grantRequest(cache, "k", 1))).outcome).toBe("missing");
      const create = grantRequest(cache, "k", null);
      await store.grant(create);
      await store.create({ ...writeRequest(leaseOf(create), 0), status: "QUEUED", value: "{}" });
      await store.update({ ...writeRequest(leaseOf(create), 1), status: "RUNNING", value: "{}" });
      expect((await store.grant(grantRequest(cache, "k", 2))).outcome).toBe("superseded"); // held
      await store.release(leaseOf(create));
      expect((await store.grant(grantRequest(cache, "k", 3))).outcome).toBe("missing"); // older entry
      expect((await store.grant(grantRequest(cache, "k", 1))).outcome).toBe("superseded"); // newer entry
      expect((await store.grant(grantRequest(cache, "k", null))).outcome).toBe("superseded"); // exists
      expect((await store.grant(grantRequest(cache, "k", 2))).outcome).toBe("granted");
    });

    it("returns the original grant to a retry with the same ticket id", async () => {
      const store = await fixture.open();
      const request = grantRequest(uniqueCache(), "k", null);
      const first = await store.grant(request);
      const retried = await store.grant(request);
      expect(retried).toEqual(first);
      expect(retried.outcome).toBe("granted");
    });

    it("lets the key be granted again once the lease expires by the database clock", async () => {
      const store = await fixture.open();
      const cache = uniqueCache();
      const holder = grantRequest(cache, "k", null, 60_000);
      await store.grant(holder);
      expect((await store.grant(grantRequest(cache, "k", null))).outcome).toBe("superseded");
      await backdateLeases(await fixture.db().admin(), 61_000);
      const next = await store.grant(grantRequest(cache, "k", null));
      expect(next.outcome).toBe("granted");
      await expect(store.renew({ ...leaseOf(holder), durationMs: 1_000 })).rejects.toThrow(/no longer live/);
    });

    it("keeps caches apart", async () => {
      const store = await fixture.open();
      const key = "shared-key";
      expect((await store.grant(grantRequest(uniqueCache(), key, null))).outcome).toBe("granted");
      expect((await store.grant(grantRequest(uniqueCache(), key, null))).outcome).toBe("granted");
    });

    it("gives exactly one of many concurrent grants on one key", async () => {
      const stores = [await fixture.open(), await fixture.open()];
      const cache = uniqueCache();
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => stores[i % 2]!.grant(grantRequest(cache, "race", null))),
      );
      expect(results.filter((result) => result.outcome === "granted")).toHaveLength(1);
    });
  });
}
