import { describe, expect, it } from "vitest";
import { ECacheDuplicate, ECacheNotFound, ECacheTicket } from "../../src/base/errors.js";
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
  describe(`${variant.name}: fenced writes`, () => {
    const fixture = useSqlDatabase(variant.dialect, `writes.test ${variant.name}`, variant);

    async function newTicket() {
      const store = await fixture.open();
      const request = grantRequest(uniqueCache(), "job", null);
      expect((await store.grant(request)).outcome).toBe("granted");
      return { store, lease: leaseOf(request) };
    }

    it("creates, reads, updates and deletes under one ticket", async () => {
      const { store, lease } = await newTicket();
      expect(await store.read(lease)).toBeUndefined();
      expect(await store.create({ ...writeRequest(lease, 0), status: "QUEUED", value: "v1" })).toBe(1);
      expect(await store.read(lease)).toEqual({ key: "job", revision: 1, status: "QUEUED", value: "v1" });
      expect(await store.update({ ...writeRequest(lease, 1), status: "QUEUED", value: "v1" })).toBe(2);
      expect(await store.queryKey(lease)).toEqual({ key: "job", revision: 2, status: "QUEUED", value: "v1" });
      await store.delete(writeRequest(lease, 2));
      expect(await store.queryKey(lease)).toBeUndefined();
      expect(await store.create({ ...writeRequest(lease, 0), status: "AGAIN", value: "v2" })).toBe(1);
    });

    it("refuses duplicates, missing entries and stale revisions, changing nothing", async () => {
      const { store, lease } = await newTicket();
      await expect(store.update({ ...writeRequest(lease, 0), status: "S", value: "x" })).rejects.toThrow(
        ECacheNotFound,
      );
      await expect(store.delete(writeRequest(lease, 0))).rejects.toThrow(ECacheNotFound);
      await store.create({ ...writeRequest(lease, 0), status: "S", value: "x" });
      await expect(store.create({ ...writeRequest(lease, 0), status: "S", value: "y" })).rejects.toThrow(
        ECacheDuplicate,
      );
      await expect(store.update({ ...writeRequest(lease, 7), status: "S", value: "y" })).rejects.toThrow(
        ECacheTicket,
      );
      expect(await store.queryKey(lease)).toEqual({ key: "job", revision: 1, status: "S", value: "x" });
    });

    it("fences writes by the database clock: an expired holder cannot commit", async () => {
      const { store, lease } = await newTicket();
      await store.create({ ...writeRequest(lease, 0), status: "S", value: "before" });
      await backdateLeases(await fixture.db().admin(), 31_000);
      await expect(store.update({ ...writeRequest(lease, 1), status: "S", value: "late" })).rejects.toThrow(
        ECacheTicket,
      );
      await expect(store.delete(writeRequest(lease, 1))).rejects.toThrow(ECacheTicket);
      await expect(store.read(lease)).rejects.toThrow(ECacheTicket);
      expect((await store.queryKey(lease))?.value).toBe("before");
    });

    it("fences writes by the holder: a released ticket and a stranger cannot commit", async () => {
      const { store, lease } = await newTicket();
      await store.create({ ...writeRequest(lease, 0), status: "S", value: "x" });
      const stranger = { ...lease, ticketId: "not-the-holder" };
      await expect(store.update({ ...writeRequest(stranger, 1), status: "S", value: "y" })).rejects.toThrow(
        ECacheTicket,
      );
      await store.release(stranger); // not the holder: a no-op
      await store.release(lease);
      await store.release(lease); // twice: a no-op
      await expect(store.update({ ...writeRequest(lease, 1), status: "S", value: "y" })).rejects.toThrow(
        ECacheTicket,
      );
      expect((await store.queryKey(lease))?.value).toBe("x");
    });

    it("returns the original result to a retried write with the same request id", async () => {
      const { store, lease } = await newTicket();
      const create = { ...writeRequest(lease, 0), status: "S", value: "x" };
      expect(await store.create(create)).toBe(1);
      expect(await store.create(create)).toBe(1);
      const update = { ...writeRequest(lease, 1), status: "T", value: "y" };
      expect(await store.update(update)).toBe(2);
      expect(await store.update(update)).toBe(2);
      expect((await store.queryKey(lease))?.revision).toBe(2);
      const remove = writeRequest(lease, 2);
      await store.delete(remove);
      await expect(store.delete(remove)).resolves.toBeUndefined();
      await expect(store.delete(writeRequest(lease, 0))).rejects.toThrow(ECacheNotFound);
    });

    it("renews a live lease from the database clock and never revives an expired one", async () => {
      const { store, lease } = await newTicket();
      const renewed = await store.renew({ ...lease, durationMs: 120_000 });
      const leases = await store.listLeases(lease.cacheName);
      expect(leases).toHaveLength(1);
      expect(leases[0]?.expiry).toEqual(renewed.expiry);
      expect(leases[0]?.expiresInMs).toBeGreaterThan(100_000);
      await backdateLeases(await fixture.db().admin(), 121_000);
      expect((await store.listLeases(lease.cacheName))[0]?.state).toBe("expired");
      await expect(store.renew({ ...lease, durationMs: 120_000 })).rejects.toThrow(ECacheTicket);
    });

    it("frees the key at once on release", async () => {
      const { store, lease } = await newTicket();
      await store.release(lease);
      expect((await store.listLeases(lease.cacheName))[0]?.state).toBe("released");
      const next = grantRequest(lease.cacheName, lease.key, null);
      expect((await store.grant(next)).outcome).toBe("granted");
      await expect(store.renew({ ...lease, durationMs: 1_000 })).rejects.toThrow(ECacheTicket);
    });
  });
}
