/**
 * Conformance targets for the SQL store: every test gets its own PostgreSQL schema or SQLite
 * file with the schema deployed, managers made by createJobCacheManager over it, and a time
 * machine that moves both the managers' local clocks and the database's clock.
 */
import { OffsetClock } from "../../src/lease/lease-clock.js";
import { createJobCacheManager } from "../../src/manager/create-job-cache-manager.js";
import { registerJobCachePlugin } from "../../src/manager/plugin-registry.js";
import { deploySchema } from "../../src/store/sql/migrate.js";
import { openSqlStore, sqlPlugin } from "../../src/store/sql/sql-plugin.js";
import type { ConformanceContext, ConformanceTarget } from "../../src/testing/conformance-target.js";
import type { JobCachePlugin, PluginConfig } from "../../src/types.js";
import { DatabaseClockOffset } from "./sql-clock-offset.js";
import { backdateLeases, createTestDatabase, type TestDatabase } from "./sql-test-db.js";

/** How `advanceTime` makes the database see time pass. */
export type SqlTimeTravel =
  /**
   * The database clock itself moves: every store of the test adds the advanced time to the
   * dialect's `now()` (a test-only adapter wrapper, registered as protocol `JDBC_TEST_CLOCK`).
   * Times the stores return afterwards are on the moved clock, as in a real deployment.
   */
  | "clock-offset"
  /**
   * Every lease row's grant, heartbeat and expiry times are moved back by `ms` in SQL, through
   * the real `JDBC` plugin. Times returned before and after the move are on different frames,
   * so a check like "renewed expiry - original grant time >= advanced time" cannot hold.
   */
  | "backdate";

const offsets = new Map<string, DatabaseClockOffset>();

/** `JDBC` with a per-database clock offset, keyed by the `testing.clockKey` property. */
const clockOffsetPlugin: JobCachePlugin = {
  protocols: ["JDBC_TEST_CLOCK"],
  createStore: (config, context) => {
    const offset = offsets.get(config.properties?.["testing.clockKey"] ?? "");
    if (offset === undefined) throw new Error("JDBC_TEST_CLOCK needs a registered testing.clockKey");
    return openSqlStore({ ...config, protocol: "JDBC" }, context, { adapter: (adapter) => offset.wrap(adapter) });
  },
};

function managerConfig(database: TestDatabase, time: SqlTimeTravel): PluginConfig {
  if (time === "backdate") return database.config();
  offsets.set(database.name, new DatabaseClockOffset());
  return { ...database.config({ "testing.clockKey": database.name }), protocol: "JDBC_TEST_CLOCK" };
}

/**
 * The SQL store on `dialect`, for `describeJobCacheConformance`. `advanceTime(ms)` moves every
 * manager's local clock (an OffsetClock from createJobCacheManager's `clock` option) forward,
 * and makes the database see the same time pass (see {@link SqlTimeTravel}).
 * @example
 * describeJobCacheConformance(sqlConformanceTarget("SQLITE"));
 */
export function sqlConformanceTarget(
  dialect: "SQLITE" | "POSTGRESQL",
  options: { time?: SqlTimeTravel } = {},
): ConformanceTarget {
  const time = options.time ?? "clock-offset";
  registerJobCachePlugin(sqlPlugin);
  registerJobCachePlugin(clockOffsetPlugin);
  return {
    name: dialect,
    async setup(): Promise<ConformanceContext> {
      const database = await createTestDatabase(dialect, `conformance ${dialect}`);
      await deploySchema(database.config());
      const config = managerConfig(database, time);
      const clocks: OffsetClock[] = [];
      let advancedMs = 0;
      return {
        sharesAcrossManagers: true,
        async newManager(managerOptions = {}) {
          const clock = new OffsetClock(advancedMs + (managerOptions.clockOffsetMs ?? 0));
          clocks.push(clock);
          return createJobCacheManager(config, { clock });
        },
        async advanceTime(ms: number) {
          advancedMs += ms;
          for (const clock of clocks) clock.offsetMs += ms;
          if (time === "backdate") await backdateLeases(await database.admin(), ms);
          else offsets.get(database.name)?.advance(ms);
        },
        async teardown() {
          offsets.delete(database.name);
          await database.drop();
        },
      };
    },
  };
}
