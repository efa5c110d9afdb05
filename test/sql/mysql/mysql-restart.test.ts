/**
 * A server of the test's own that is stopped, killed and restarted under a running store: the
 * store reports ECacheUnavailable (naming the server, never the password) while it is away, and
 * its pool recovers when it is back. The server runs at +05:00 with latin1 defaults, so these
 * tests also show the schema and the clock do not depend on a server's defaults.
 */
import { sql } from "kysely";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, expect, it } from "vitest";
import { systemClock } from "../../../src/base/clock.js";
import { ECacheConfig, ECacheUnavailable } from "../../../src/base/errors.js";
import type { Logger } from "../../../src/base/logger.js";
import type { PluginConfig } from "../../../src/base/types.js";
import { readSqlConfig } from "../../../src/store/sql/config/sql-config.js";
import { openConnection } from "../../../src/store/sql/connect.js";
import { openSqlStore } from "../../../src/store/sql/sql-plugin.js";
import type { SqlStore } from "../../../src/store/sql/sql-store.js";
import { describeMysql } from "./support/describe-mysql.js";
import {
  grantRequest,
  leaseOf,
  MYSQL_DIALECTS,
  uniqueCache,
  writeRequest,
} from "./support/mysql-store-fixture.js";
import {
  canStartMariadb,
  startThrowawayMariadb,
  type ThrowawayMariadb,
} from "./support/throwaway-mariadb.js";

/** Every message and fact logged, to check that no password ever appears. */
const logged: string[] = [];
const logger: Logger = {
  debug: (message, facts) => logged.push(message, JSON.stringify(facts ?? {})),
  info: (message, facts) => logged.push(message, JSON.stringify(facts ?? {})),
  warn: (message, facts) => logged.push(message, JSON.stringify(facts ?? {})),
  error: (message, facts) => logged.push(message, JSON.stringify(facts ?? {})),
};

/** What the error says, its causes included, as a user's log would show it. */
function fullText(error: unknown): string {
  const parts: string[] = [];
  for (let at: unknown = error; at instanceof Error; at = at.cause) parts.push(at.message, String(at.stack));
  return parts.join("\n");
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => error,
  );
}

for (const dialect of MYSQL_DIALECTS) {
  describeMysql(`${dialect}: server restarts and failures`, () => {
    let server: ThrowawayMariadb;
    const stores: SqlStore[] = [];
    const config = (properties: Record<string, string> = {}): PluginConfig => ({
      protocol: "SQL",
      properties: {
        dialect,
        jdbcUrl: `//127.0.0.1:${server.port}/test`,
        [`${dialect.toLowerCase()}.user`]: "root",
        autoDeploy: "true",
        "pool.size": "3",
        "retry.attempts": "4",
        "retry.minDelayMs": "10",
        "retry.maxDelayMs": "50",
        connectTimeoutMs: "2000",
        ...properties,
      },
      secrets: { [`${dialect.toLowerCase()}.password`]: server.password },
    });
    const open = async (properties?: Record<string, string>) => {
      const store = await openSqlStore(config(properties), { clock: systemClock, logger });
      stores.push(store);
      return store;
    };
    /** A full job step: grant, create, update, close. */
    const step = async (store: SqlStore) => {
      const request = grantRequest(uniqueCache(), "job", null);
      expect((await store.grant(request)).outcome).toBe("granted");
      await store.create({ ...writeRequest(leaseOf(request), 0), status: "QUEUED", value: "{}" });
      expect(await store.update({ ...writeRequest(leaseOf(request), 1), status: "DONE", value: "{}" })).toBe(
        2,
      );
      await store.release(leaseOf(request));
    };

    beforeAll(async () => {
      if (!canStartMariadb()) throw new Error("mariadbd is not installed: apt-get install -y mariadb-server");
      server = await startThrowawayMariadb();
    });
    afterAll(async () => {
      for (const store of stores) await store.close();
      await server?.destroy();
      const leaks = logged.filter((line) => server !== undefined && line.includes(server.password));
      expect(leaks).toEqual([]);
    });

    it("grants with database times on a server whose default time zone is +05:00", async () => {
      const store = await open();
      const request = grantRequest(uniqueCache(), "k", null);
      const before = Date.now();
      const result = await store.grant(request);
      expect(result.outcome).toBe("granted");
      expect(Math.abs(result.grantTime.getTime() - before)).toBeLessThan(2_000);
    });

    it("reports ECacheUnavailable naming the server, not the password, while it is down; recovers when it is back", async () => {
      const store = await open();
      await step(store);
      await server.stop();
      const error = await failure(step(store));
      expect(error).toBeInstanceOf(ECacheUnavailable);
      expect((error as Error).message).toContain(
        `${dialect.toLowerCase()}://root@127.0.0.1:${server.port}/test`,
      );
      expect(fullText(error)).not.toContain(server.password);
      await server.start();
      await step(store);
    });

    it("recovers from a crash (SIGKILL) that left dead connections in the pool", async () => {
      const store = await open();
      await Promise.all([step(store), step(store), step(store)]); // fill the pool
      await server.kill();
      await server.start();
      await Promise.all([step(store), step(store), step(store)]);
    });

    it("sets UTC again on the connections opened after a restart", async () => {
      const connection = await openConnection(await readSqlConfig(config()), logger);
      try {
        const zones = () =>
          Promise.all(
            Array.from({ length: 3 }, () =>
              sql<{ zone: string }>`select @@session.time_zone as zone, sleep(0.02) as waited`.execute(
                connection.db,
              ),
            ),
          );
        expect((await zones()).map((result) => result.rows[0]?.zone)).toEqual(["+00:00", "+00:00", "+00:00"]);
        await server.kill();
        await server.start();
        // The first queries meet the dead connections (the store retries those); poll until they are replaced.
        let after: string[] = [];
        for (let attempt = 0; attempt < 20 && after.length === 0; attempt++) {
          after = await zones().then(
            (results) => results.map((result) => String(result.rows[0]?.zone)),
            () => [],
          );
        }
        expect(after).toEqual(["+00:00", "+00:00", "+00:00"]);
      } finally {
        await connection.close();
      }
    });

    it("retries when the server kills the store's connections (failover, admin KILL)", async () => {
      const store = await open();
      await Promise.all([step(store), step(store), step(store)]);
      const admin = await mysql.createConnection({
        host: "127.0.0.1",
        port: server.port,
        user: "root",
        password: server.password,
      });
      const [rows] = await admin.query<mysql.RowDataPacket[]>(
        "select id from information_schema.processlist where db = 'test' and id <> connection_id()",
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) await admin.query(`kill connection ${Number(row.id)}`);
      await admin.end();
      await Promise.all([step(store), step(store), step(store)]);
    });

    it("fails at creation with ECacheUnavailable when the server is down", async () => {
      await server.stop();
      try {
        const error = await failure(open());
        expect(error).toBeInstanceOf(ECacheUnavailable);
        expect((error as Error).message).toMatch(/Cannot reach the job cache database/);
        expect(fullText(error)).not.toContain(server.password);
      } finally {
        await server.start();
      }
    });

    it("rejects a wrong password with ECacheConfig that shows neither password", async () => {
      const wrong = "Wr0ng-pass-77";
      const error = await failure(
        openSqlStore(
          { ...config(), secrets: { [`${dialect.toLowerCase()}.password`]: wrong } },
          { clock: systemClock, logger },
        ),
      );
      expect(error).toBeInstanceOf(ECacheConfig);
      expect((error as Error).message).toMatch(/Access denied/);
      expect(fullText(error)).not.toContain(wrong);
      expect(logged.join("\n")).not.toContain(wrong);
    });
  });
}
