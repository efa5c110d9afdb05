/**
 * A SQL dialect as a {@link RaceTarget}: one database (PostgreSQL schema, SQLite file, MariaDB
 * database) per test file with the schema deployed once; one manager (own pool) per process,
 * created once and reused by every run; rows deleted between runs. Time moves through the
 * database's own clock (a test-only `now()` offset, as in test/setup/sql-targets.ts) and each
 * process's OffsetClock.
 * @module
 */

import { OffsetClock, systemClock } from "../../../src/base/clock.js";
import { silentLogger } from "../../../src/base/logger.js";
import type { JobCacheManager, PluginConfig } from "../../../src/base/types.js";
import { createJobCacheManager } from "../../../src/manager/create-job-cache-manager.js";
import { registerJobCachePlugin } from "../../../src/manager/plugin-registry.js";
import { deploySchema } from "../../../src/store/sql/migrate.js";
import { openSqlStore } from "../../../src/store/sql/sql-plugin.js";
import type { JobCachePlugin, JobStore } from "../../../src/store/store.js";
import { DatabaseClockOffset } from "../../setup/sql-clock-offset.js";
import { createTestDatabase, type TestDatabase } from "../../setup/sql-test-db.js";
import { createMysqlTargetDatabase } from "../../sql/mysql/support/mysql-target-db.js";
import { type Gate, GatedStore, openGate } from "./gated-store.js";
import { RACE_CACHE, type RaceSystem, type RaceTarget } from "./race-system.js";

/** The dialects the multi-process properties run on. */
export type RaceDialect = "SQLITE" | "POSTGRESQL" | "MYSQL" | "MARIADB";

/** The protocol of {@link clockPlugin}: JDBC with the database clock moved by a test offset. */
const PROTOCOL = "JDBC_PROPERTY_CLOCK";

interface DatabaseTime {
  readonly offset: DatabaseClockOffset;
  gate: Gate;
}

/** Per test database, by the `testing.clockKey` property (its schema, file or database name). */
const databases = new Map<string, DatabaseTime>();

function timeOf(config: PluginConfig): DatabaseTime {
  const time = databases.get(config.properties?.["testing.clockKey"] ?? "");
  if (time === undefined) throw new Error(`${PROTOCOL} needs a registered testing.clockKey`);
  return time;
}

const clockPlugin: JobCachePlugin = {
  protocols: [PROTOCOL],
  async createStore(config, context) {
    const time = timeOf(config);
    // the key is this plugin's own property: JDBC would refuse it as unknown
    const { "testing.clockKey": _key, ...properties } = config.properties ?? {};
    const store = await openSqlStore({ ...config, properties, protocol: "JDBC" }, context, {
      adapter: (adapter) => time.offset.wrap(adapter),
    });
    return new GatedStore(store, { gate: () => time.gate, closeInner: true });
  },
};

type Database = Omit<TestDatabase, "dialect">;

function createDatabase(dialect: RaceDialect, label: string): Promise<Database> {
  if (dialect === "MYSQL" || dialect === "MARIADB") return createMysqlTargetDatabase(dialect, label);
  return createTestDatabase(dialect, label);
}

/**
 * Creates the database, deploys the schema and opens `processes` managers. Call once per test
 * file (beforeAll) and `close()` it afterwards (afterAll).
 */
export async function sqlRaceTarget(
  dialect: RaceDialect,
  processes: number,
  label: string,
): Promise<RaceTarget> {
  registerJobCachePlugin(clockPlugin);
  const database = await createDatabase(dialect, label);
  const time: DatabaseTime = { offset: new DatabaseClockOffset(), gate: openGate };
  const managers: JobCacheManager[] = [];
  let inspector: JobStore | undefined;
  try {
    await deploySchema(database.config());
    databases.set(database.name, time);
    const config = { ...database.config({ "testing.clockKey": database.name }), protocol: PROTOCOL };
    const clocks = Array.from({ length: processes }, () => new OffsetClock(0, systemClock));
    for (const clock of clocks) managers.push(await createJobCacheManager(config, { clock }));
    // the checks' own connection: not gated, so it never waits on the scheduler
    inspector = await openSqlStore(
      { ...database.config(), protocol: "JDBC" },
      { clock: systemClock, logger: silentLogger },
      { adapter: (adapter) => time.offset.wrap(adapter) },
    );
    const admin = await database.admin();
    const caches = managers.map((manager) => manager.getCache<unknown>(RACE_CACHE));
    const checks = inspector;
    const system: RaceSystem = {
      caches,
      listLeases: async () => (await checks.listLeases?.(RACE_CACHE)) ?? [],
      async setTime(now, lags) {
        time.offset.micros = Math.round(now * 1000);
        clocks.forEach((clock, i) => {
          clock.offsetMs = now - (lags[i] ?? 0);
        });
      },
    };
    return {
      name: dialect,
      processes,
      async startRun(gate) {
        time.gate = openGate;
        await admin.deleteFrom("jobcache_lease").execute();
        await admin.deleteFrom("jobcache_entry").execute();
        await system.setTime(0, []);
        time.gate = gate;
        return system;
      },
      async close() {
        time.gate = openGate;
        await Promise.all(managers.map((manager) => manager.close()));
        await inspector?.close();
        databases.delete(database.name);
        await database.drop();
      },
    };
  } catch (error) {
    await Promise.all(managers.map((manager) => manager.close()));
    await inspector?.close();
    databases.delete(database.name);
    await database.drop();
    throw error;
  }
}
