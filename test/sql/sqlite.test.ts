/**
 * SQLite specifics: WAL journal, BEGIN IMMEDIATE for every write transaction, SQLITE_BUSY
 * waited for without blocking the event loop, retried then reported, and several stores of one process on one file without deadlock.
 */
import Database from "better-sqlite3";
import { type LogEvent, sql } from "kysely";
import { describe, expect, it, vi } from "vitest";
import { ECacheUnavailable } from "../../src/base/errors.js";
import {
  grantRequest,
  leaseOf,
  uniqueCache,
  useSqlDatabase,
  writeRequest,
} from "./fixtures/sql-store-fixture.js";

describe("SQLITE: one file, several writers", () => {
  const fixture = useSqlDatabase("SQLITE", "sqlite.test");

  it("uses the WAL journal", async () => {
    await fixture.open();
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(await fixture.db().admin());
    expect(mode.rows[0]?.journal_mode).toBe("wal");
  });

  it("starts every transaction with BEGIN IMMEDIATE", async () => {
    const statements: string[] = [];
    const log = (event: LogEvent) => statements.push(event.query.sql);
    const store = await fixture.open({ log });
    const request = grantRequest(uniqueCache(), "k", null);
    await store.grant(request);
    statements.length = 0;
    await store.create({ ...writeRequest(leaseOf(request), 0), status: "S", value: "v" });
    expect(statements[0]).toBe("begin immediate");
    expect(statements.at(-1)).toBe("commit");
  });

  it("retries while another process holds the write lock, then reports ECacheUnavailable; works once it is free", async () => {
    const store = await fixture.open(
      {},
      { busyTimeoutMs: "20", "retry.attempts": "3", "retry.minDelayMs": "5" },
    );
    const other = new Database(fixture.db().name);
    try {
      other.exec("begin immediate");
      const error = await store
        .grant(grantRequest(uniqueCache(), "k", null))
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ECacheUnavailable);
      expect(String(error)).toMatch(/busy or locked/);
      other.exec("commit");
      expect((await store.grant(grantRequest(uniqueCache(), "k", null))).outcome).toBe("granted");
    } finally {
      other.close();
    }
  });

  it("keeps the event loop turning while it waits for another connection's write lock", async () => {
    const store = await fixture.open({}, { busyTimeoutMs: "60000" });
    const other = new Database(fixture.db().name);
    let ticks = 0;
    const timer = setInterval(() => {
      ticks++;
    }, 1);
    try {
      other.exec("begin immediate");
      let settled = false;
      const grant = store.grant(grantRequest(uniqueCache(), "k", null)).finally(() => {
        settled = true;
      });
      const before = ticks;
      // SQLite's own busy handler would hold this process inside one synchronous call: no tick.
      await vi.waitFor(() => expect(ticks).toBeGreaterThan(before + 20), { timeout: 30_000, interval: 5 });
      expect(settled, "the grant waits for the lock").toBe(false);
      other.exec("commit");
      expect((await grant).outcome).toBe("granted");
    } finally {
      clearInterval(timer);
      if (other.inTransaction) other.exec("rollback");
      other.close();
    }
  });

  it("interleaves transactions of two stores of one process on one file without deadlock", async () => {
    // A short busy timeout and no retries: a deadlock between the two would fail at once.
    const properties = { busyTimeoutMs: "200", "retry.attempts": "1" };
    const stores = [await fixture.open({}, properties), await fixture.open({}, properties)];
    const cache = uniqueCache();
    const created = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const store = stores[i % 2]!;
        const request = grantRequest(cache, `key-${i}`, null);
        await store.grant(request);
        return store.create({ ...writeRequest(leaseOf(request), 0), status: "S", value: String(i) });
      }),
    );
    expect(created).toEqual(Array.from({ length: 20 }, () => 1));
  });
});
