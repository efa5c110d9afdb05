/**
 * A connection lost around COMMIT on MySQL / MariaDB: the transaction committed (or was rolled
 * back by the server) but the reply never arrived. The store retries (Kysely's ROLLBACK on the
 * dead connection fails too, with a code-less mysql2 error that must still read as "connection"),
 * and the retry returns the original result: a grant keyed by its ticket id, a write by its
 * request id.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Logger, silentLogger } from "../../../src/base/logger.js";
import type { SqlStore } from "../../../src/store/sql/sql-store.js";
import { TcpProxy } from "../../setup/tcp-proxy.js";
import { lostReplyRunner } from "../fixtures/lost-reply.js";
import { describeMysql } from "./support/describe-mysql.js";
import {
  grantRequest,
  leaseOf,
  MYSQL_DIALECTS,
  uniqueCache,
  useMysqlDatabase,
  writeRequest,
} from "./support/mysql-store-fixture.js";

/** The COM_QUERY packet of a bare COMMIT (command byte 0x03), not `state = 'committed'`. */
const COMMIT = new RegExp(`${String.fromCharCode(3)}commit$`);

for (const dialect of MYSQL_DIALECTS) {
  describeMysql(`${dialect}: reply lost around COMMIT`, () => {
    const fixture = useMysqlDatabase(`mysql-commit-drop.test ${dialect}`);
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
      const url = new URL(fixture.db().url);
      proxy = await TcpProxy.start(url.hostname, Number(url.port || 3306));
      store = await fixture.open(dialect, {
        logger,
        properties: { jdbcUrl: `//127.0.0.1:${proxy.port}/${fixture.db().name}`, "retry.minDelayMs": "1" },
      });
    });
    afterAll(async () => {
      await store?.close();
      await proxy?.close();
    });

    const withLostReply = lostReplyRunner(() => proxy, retries);

    it("returns the original result of every operation whose COMMIT reply was lost", async () => {
      const request = grantRequest(uniqueCache(), "job", null);
      const lease = leaseOf(request);

      // one autocommitted upsert: its own reply is the commit's
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

      const created = await withLostReply(COMMIT, () =>
        store.create({ ...writeRequest(lease, 0), status: "QUEUED", value: "v1" }),
      );
      expect(created).toBe(1);

      // one autocommitted statement: its own reply is the commit's
      const updated = await withLostReply(/update jobcache_entry e join/, () =>
        store.update({ ...writeRequest(lease, 1), status: "RUNNING", value: "v2" }),
      );
      expect(updated).toBe(2);
      expect(await store.queryKey(lease)).toEqual({
        key: "job",
        revision: 2,
        status: "RUNNING",
        value: "v2",
      });

      await withLostReply(COMMIT, () => store.delete(writeRequest(lease, 2)));
      expect(await store.queryKey(lease)).toBeUndefined();

      await withLostReply(/update [`"]?jobcache_lease[`"]? set [`"]?state[`"]? = /, () =>
        store.release(lease),
      );
      expect((await store.listLeases(lease.cacheName))[0]?.state).toBe("released");
    });

    it("runs a transaction again when the connection is lost before its COMMIT (the server rolled it back)", async () => {
      const request = grantRequest(uniqueCache(), "job", null);
      const lease = leaseOf(request);
      expect((await store.grant(request)).outcome).toBe("granted");
      const created = await withLostReply(/insert into jobcache_entry/, () =>
        store.create({ ...writeRequest(lease, 0), status: "QUEUED", value: "v1" }),
      );
      expect(created).toBe(1);
      expect((await store.queryKey(lease))?.revision).toBe(1);
      // a claim whose COMMIT reply was lost claims again under the same ticket ids
      const claim = { cacheName: lease.cacheName, statuses: ["QUEUED"], durationMs: 60_000, limit: 1 };
      await store.release(lease);
      const claimed = await withLostReply(COMMIT, () => store.claim({ ...claim, ticketIds: ["t-lost"] }));
      expect(claimed).toEqual([]);
      expect((await store.listLeases(lease.cacheName))[0]).toMatchObject({
        ticketId: "t-lost",
        state: "granted",
      });
    });
  });
}
