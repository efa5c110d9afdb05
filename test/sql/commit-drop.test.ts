/**
 * A connection lost during COMMIT: the statement committed but its reply never arrived. The
 * store retries, and the retry must return the original result (a grant keyed by its ticket id,
 * a write by its request id), not "superseded by itself", "duplicate" or "not found".
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/base/clock.js";
import { type Logger, silentLogger } from "../../src/base/logger.js";
import { deploySchema } from "../../src/store/sql/migrate.js";
import { openSqlStore } from "../../src/store/sql/sql-plugin.js";
import type { SqlStore } from "../../src/store/sql/sql-store.js";
import { stopFallbackPostgres } from "../setup/pg-test-server.js";
import { createTestDatabase, type TestDatabase } from "../setup/sql-test-db.js";
import { TcpProxy } from "../setup/tcp-proxy.js";
import { lostReplyRunner } from "./fixtures/lost-reply.js";
import { grantRequest, leaseOf, uniqueCache, writeRequest } from "./fixtures/sql-store-fixture.js";

describe("POSTGRESQL: reply lost after COMMIT", () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let store: SqlStore;
  const retries: string[] = [];
  const logger: Logger = {
    ...silentLogger,
    debug: (message, facts) => {
      if (message.includes("retrying")) retries.push(String(facts?.operation));
    },
  };

  beforeAll(async () => {
    database = await createTestDatabase("POSTGRESQL", "commit-drop.test");
    await deploySchema(database.config());
    const url = new URL(database.config().properties!.url!);
    proxy = await TcpProxy.start(url.hostname, Number(url.port || 5432));
    url.host = `127.0.0.1:${proxy.port}`;
    store = await openSqlStore(database.config({ url: url.toString(), "retry.minDelayMs": "1" }), {
      clock: systemClock,
      logger,
    });
  });

  afterAll(async () => {
    await store?.close();
    await proxy?.close();
    await database?.drop();
    await stopFallbackPostgres();
  });

  const withLostReply = lostReplyRunner(() => proxy, retries);

  it("returns the original result of every operation whose reply was lost", async () => {
    const request = grantRequest(uniqueCache(), "job", null);
    const lease = leaseOf(request);

    const grant = await withLostReply(/insert into jobcache_lease/, () => store.grant(request));
    expect(grant.outcome).toBe("granted");
    const [held] = await store.listLeases(lease.cacheName);
    expect(held).toMatchObject({
      ticketId: request.ticketId,
      grantTime: grant.grantTime,
      expiry: grant.expiry,
    });

    const renewed = await withLostReply(/set heartbeat_time/, () =>
      store.renew({ ...lease, durationMs: 60_000 }),
    );
    expect(renewed.expiry.getTime()).toBeGreaterThanOrEqual(grant.grantTime.getTime() + 60_000);

    const created = await withLostReply(/insert into jobcache_entry/, () =>
      store.create({ ...writeRequest(lease, 0), status: "QUEUED", value: "v1" }),
    );
    expect(created).toBe(1);

    const updated = await withLostReply(/update jobcache_entry/, () =>
      store.update({ ...writeRequest(lease, 1), status: "RUNNING", value: "v2" }),
    );
    expect(updated).toBe(2);
    expect(await store.queryKey(lease)).toEqual({ key: "job", revision: 2, status: "RUNNING", value: "v2" });

    await withLostReply(/delete from jobcache_entry/, () => store.delete(writeRequest(lease, 2)));
    expect(await store.queryKey(lease)).toBeUndefined();

    await withLostReply(/update [`"]?jobcache_lease[`"]? set [`"]?state[`"]? = /, () => store.release(lease));
    expect((await store.listLeases(lease.cacheName))[0]?.state).toBe("released");
  });
});
