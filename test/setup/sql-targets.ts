/**
 * Conformance targets for the SQL store: every test gets its own PostgreSQL schema or SQLite
 * file with the schema deployed, managers made by createJobCacheManager over it, and a time
 * machine that moves both the managers' local clocks and the database's clock.
 */
import { OffsetClock } from "../../src/base/clock.js";
import type { PluginConfig } from "../../src/base/types.js";
import { createJobCacheManager } from "../../src/manager/create-job-cache-manager.js";
import { registerJobCachePlugin } from "../../src/manager/plugin-registry.js";
import type { DialectAdapter } from "../../src/store/sql/dialects/dialect-adapter.js";
import { deploySchema } from "../../src/store/sql/migrate.js";
import { openSqlStore } from "../../src/store/sql/sql-plugin.js";
import type { JobCachePlugin } from "../../src/store/store.js";
import type { ConformanceContext, ConformanceTarget } from "../../src/testing/conformance-target.js";
import { createMysqlTargetDatabase } from "../sql/mysql/support/mysql-target-db.js";
import { DatabaseClockOffset } from "./sql-clock-offset.js";
import { backdateLeases, createTestDatabase, type TestDatabase } from "./sql-test-db.js";

/** The dialects a conformance target can run on. */
export type SqlTargetDialect = "SQLITE" | "POSTGRESQL" | "MYSQL" | "MARIADB";

/** What the target needs of a test database, whatever its dialect. */
type TargetDatabase = Omit<TestDatabase, "dialect">;

/** A fresh database: MYSQL / MARIADB ones come from their dialect's test support. */
function createTargetDatabase(dialect: SqlTargetDialect, label: string): Promise<TargetDatabase> {
  return dialect === "MYSQL" || dialect === "MARIADB"
    ? createMysqlTargetDatabase(dialect, label)
    : createTestDatabase(dialect, label);
}

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

/** Options of {@link sqlConformanceTarget}. */
export interface SqlTargetOptions {
  /** @defaultValue "clock-offset" */
  readonly time?: SqlTimeTravel;
  /** Changes the dialect's adapter, e.g. to run the portable strategies (needs "clock-offset"). */
  readonly adapter?: (adapter: DialectAdapter) => DialectAdapter;
}

interface DatabaseClock {
  readonly offset: DatabaseClockOffset;
  readonly adapter: (adapter: DialectAdapter) => DialectAdapter;
}

/** Per test database (keyed by its schema or file name). */
const databaseClocks = new Map<string, DatabaseClock>();

/** `JDBC` with a per-database clock offset, found by the `testing.clockKey` property. */
const clockOffsetPlugin: JobCachePlugin = {
  protocols: ["JDBC_TEST_CLOCK"],
  createStore: (config, context) => {
    const clock = databaseClocks.get(config.properties?.["testing.clockKey"] ?? "");
    if (clock === undefined) throw new Error("JDBC_TEST_CLOCK needs a registered testing.clockKey");
    // the key is this plugin's own property: JDBC would refuse it as unknown
    const { "testing.clockKey": _key, ...properties } = config.properties ?? {};
    return openSqlStore({ ...config, properties, protocol: "JDBC" }, context, {
      adapter: (adapter) => clock.offset.wrap(clock.adapter(adapter)),
    });
  },
};

function managerConfig(database: TargetDatabase, options: SqlTargetOptions): PluginConfig {
  if (options.time === "backdate") return database.config();
  databaseClocks.set(database.name, {
    offset: new DatabaseClockOffset(),
    adapter: options.adapter ?? ((adapter) => adapter),
  });
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
  dialect: SqlTargetDialect,
  options: SqlTargetOptions = {},
): ConformanceTarget {
  const time = options.time ?? "clock-offset";
  if (time === "backdate" && options.adapter !== undefined) {
    throw new Error("an adapter change needs time: clock-offset (the plain JDBC plugin takes no internals)");
  }
  registerJobCachePlugin(clockOffsetPlugin);
  return {
    name: dialect,
    async setup(): Promise<ConformanceContext> {
      const database = await createTargetDatabase(dialect, `conformance ${dialect}`);
      await deploySchema(database.config());
      const config = managerConfig(database, { ...options, time });
      const managerClocks: OffsetClock[] = [];
      let advancedMs = 0;
      return {
        sharesAcrossManagers: true,
        async newManager(managerOptions = {}) {
          const clock = new OffsetClock(advancedMs + (managerOptions.clockOffsetMs ?? 0));
          managerClocks.push(clock);
          return createJobCacheManager(config, { clock });
        },
        async advanceTime(ms: number) {
          advancedMs += ms;
          for (const clock of managerClocks) clock.offsetMs += ms;
          if (time === "backdate") await backdateLeases(await database.admin(), ms);
          else databaseClocks.get(database.name)?.offset.advance(ms);
        },
        async teardown() {
          databaseClocks.delete(database.name);
          await database.drop();
        },
      };
    },
  };
}
