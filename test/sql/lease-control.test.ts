/**
 * Holder identity and operator control on every store: each lease records the holder's instance
 * id and counts renewals; `revoke` ends a live lease at once (the holder's renewal, writes and
 * reads fail with ECacheTicket, the key is free); `prune` removes ended lease rows older than an
 * age and never a live one.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { systemClock } from "../../src/base/clock.js";
import { ECacheTicket, EInvalidArgument } from "../../src/base/errors.js";
import { createJobCacheManager } from "../../src/manager/create-job-cache-manager.js";
import type { StoreJobCacheManager } from "../../src/manager/job-cache-manager.js";
import { LocalStore } from "../../src/store/local/local-store.js";
import type { JobStore } from "../../src/store/store.js";
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

/** A held lease on a fresh key of a fresh cache, created at revision 1, granted to `holder`. */
async function heldEntry(store: JobStore, holder = "host-a:1") {
  const request = { ...grantRequest(uniqueCache(), "job", null), holder };
  expect((await store.grant(request)).outcome).toBe("granted");
  const lease = leaseOf(request);
  await store.create({ ...writeRequest(lease, 0), status: "QUEUED", value: "v" });
  return lease;
}

function leaseControlCases(open: () => Promise<JobStore>): void {
  it("records the holder on grants and claims, counts renewals, and starts again on a takeover", async () => {
    const store = await open();
    const lease = await heldEntry(store, "host-a:101");
    await store.renew({ ...lease, durationMs: 30_000 });
    await store.renew({ ...lease, durationMs: 30_000 });
    const [held] = await store.listLeases!(lease.cacheName);
    expect(held).toMatchObject({ holder: "host-a:101", renewals: 2, state: "committed" });
    expect(held!.heldForMs).toBeGreaterThanOrEqual(0);
    expect(held!.heldForMs).toBeLessThan(60_000);
    await store.release(lease);
    const claimed = await store.claim!({
      cacheName: lease.cacheName,
      statuses: ["QUEUED"],
      durationMs: 30_000,
      limit: 1,
      ticketIds: [randomUUID()],
      holder: "host-b:202",
    });
    expect(claimed).toHaveLength(1);
    const [taken] = await store.listLeases!(lease.cacheName);
    expect(taken).toMatchObject({ holder: "host-b:202", renewals: 0, state: "granted" });
    const again = { ...grantRequest(lease.cacheName, "job", 1), holder: "host-c:303" };
    await store.release({ ...lease, ticketId: claimed[0]!.ticketId });
    expect((await store.grant(again)).outcome).toBe("granted");
    expect((await store.listLeases!(lease.cacheName))[0]).toMatchObject({
      holder: "host-c:303",
      renewals: 0,
    });
  });

  it("revoke ends a live lease at once: the holder's renewal, writes and reads fail; the key is free", async () => {
    const store = await open();
    const lease = await heldEntry(store);
    expect(await store.revoke!(lease)).toBe(true);
    await expect(store.renew({ ...lease, durationMs: 30_000 })).rejects.toThrow(ECacheTicket);
    await expect(store.update({ ...writeRequest(lease, 1), status: "DONE", value: "w" })).rejects.toThrow(
      ECacheTicket,
    );
    await expect(store.delete(writeRequest(lease, 1))).rejects.toThrow(ECacheTicket);
    await expect(store.read(lease)).rejects.toThrow(ECacheTicket);
    expect(await store.queryKey(lease)).toMatchObject({ revision: 1, status: "QUEUED" });
    expect((await store.listLeases!(lease.cacheName))[0]?.state).toBe("released");
    const next = grantRequest(lease.cacheName, "job", 1);
    expect((await store.grant(next)).outcome).toBe("granted");
  });

  it("revoke of a key with no live lease changes nothing and says so", async () => {
    const store = await open();
    const lease = await heldEntry(store);
    await store.release(lease);
    expect(await store.revoke!(lease)).toBe(false);
    expect(await store.revoke!({ cacheName: lease.cacheName, key: "never-granted" })).toBe(false);
    const other = await heldEntry(store);
    expect(await store.revoke!({ cacheName: uniqueCache(), key: other.key })).toBe(false);
    expect((await store.listLeases!(other.cacheName))[0]?.state).toBe("committed");
  });

  it("prune removes ended lease rows older than the age, never a live one; pruned keys are granted as before", async () => {
    const store = await open();
    const ended = await heldEntry(store);
    await store.release(ended);
    const live = await heldEntry(store);
    expect(await store.prune!(3_600_000, ended.cacheName)).toBe(0);
    expect(await store.listLeases!(ended.cacheName)).toHaveLength(1);
    expect(await store.prune!(0, ended.cacheName)).toBe(1);
    expect(await store.listLeases!(ended.cacheName)).toEqual([]);
    expect(await store.prune!(0)).toBeGreaterThanOrEqual(0);
    expect((await store.listLeases!(live.cacheName))[0]?.ticketId).toBe(live.ticketId);
    // the entry is still there; a grant without the old row follows the same rules
    expect((await store.grant(grantRequest(ended.cacheName, "job", 2))).outcome).toBe("missing");
    expect((await store.grant(grantRequest(ended.cacheName, "job", null))).outcome).toBe("superseded");
    expect((await store.grant(grantRequest(ended.cacheName, "job", 1))).outcome).toBe("granted");
  });
}

describe("LOCAL: holder, revoke and prune", () => {
  leaseControlCases(async () => new LocalStore(systemClock));

  it("a manager records its instanceId (default host:pid) on the leases it takes", async () => {
    const named = (await createJobCacheManager(
      { protocol: "LOCAL" },
      { instanceId: "orchestrator-7" },
    )) as StoreJobCacheManager;
    const cache = named.getCache("jobs");
    const ticket = await cache.openNewTicket("job-1", 30_000);
    await cache.createEntry(ticket, "QUEUED", { n: 1 }, { close: true });
    await cache.claimStatus(["QUEUED"], 30_000);
    expect((await named.store.listLeases!("jobs"))[0]).toMatchObject({ holder: "orchestrator-7" });
    const plain = (await createJobCacheManager({ protocol: "LOCAL" })) as StoreJobCacheManager;
    await plain.getCache("jobs").openNewTicket("job-1", 30_000);
    const [lease] = await plain.store.listLeases!("jobs");
    expect(lease?.holder).toMatch(new RegExp(`:${process.pid}$`));
    await named.close();
    await plain.close();
  });

  it("rejects an empty, too long or non-string instanceId before creating anything", async () => {
    for (const instanceId of ["", "x".repeat(257), "a\nb", 42]) {
      await expect(
        createJobCacheManager({ protocol: "LOCAL" }, { instanceId: instanceId as string }),
      ).rejects.toThrow(EInvalidArgument);
    }
  });
});

for (const variant of storeVariants(TEST_DIALECTS)) {
  describe(`${variant.name}: holder, revoke and prune`, () => {
    const fixture = useSqlDatabase(variant.dialect, `lease-control.test ${variant.name}`, variant);
    leaseControlCases(() => fixture.open());
  });
}

for (const dialect of MYSQL_DIALECTS) {
  describeMysql(`${dialect}: holder, revoke and prune`, () => {
    const fixture = useMysqlDatabase(`lease-control.test ${dialect}`);
    leaseControlCases(() => fixture.open(dialect));
  });
}
