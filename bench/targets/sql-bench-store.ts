/**
 * Opens the SQL store the way the JDBC plugin does (same config reading, connection, schema
 * check and SqlStore), but keeps hold of its Kysely instance, so the baseline `select 1` runs
 * through the very pool the cache operations use, and counts the statements the store sends.
 * It is registered as a plugin of its own (`JDBC_BENCH`), so the cache is still made by the
 * public `createJobCacheManager`.
 * @module
 */
import { type Kysely, sql } from "kysely";
import type { JobCacheManager, PluginConfig } from "../../src/base/types.js";
import { createJobCacheManager, registerJobCachePlugin } from "../../src/index.js";
import { readSqlConfig } from "../../src/store/sql/config/sql-config.js";
import { openConnection } from "../../src/store/sql/connect.js";
import { ensureSchema } from "../../src/store/sql/migrate.js";
import type { JobcacheSchema } from "../../src/store/sql/schema.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import type { JobCachePlugin } from "../../src/store/store.js";
import type { OperationCase } from "../operation-case.js";
import type { StatementCounter } from "./bench-target.js";

/** The property that tells the plugin which opened store a config belongs to. */
const ID_PROPERTY = "bench.id";

interface Opened {
  readonly db: Kysely<JobcacheSchema>;
  readonly counter: { statements: number };
}

const opened = new Map<string, Opened>();
let nextId = 0;

const benchSqlPlugin: JobCachePlugin = {
  protocols: ["JDBC_BENCH"],
  async createStore(config, context) {
    const { [ID_PROPERTY]: id = "", ...properties } = config.properties ?? {};
    const counter = { statements: 0 };
    const connection = await openConnection(
      // the bench's own property is no JDBC property: JDBC refuses properties it does not know
      await readSqlConfig({ ...config, protocol: "JDBC", properties }),
      context.logger,
      // Kysely logs every statement, BEGIN and COMMIT included; counting costs a few ns each.
      {
        log: () => {
          counter.statements++;
        },
      },
    );
    try {
      await ensureSchema(connection);
    } catch (error) {
      await connection.close();
      throw error;
    }
    opened.set(id, { db: connection.db, counter });
    return new SqlStore(connection);
  },
};

/** A SQL store opened for the benchmark. */
export interface SqlBenchStore {
  readonly manager: JobCacheManager;
  readonly db: Kysely<JobcacheSchema>;
  readonly statements: StatementCounter;
  /** The round-trip baseline: `select 1` through the store's own pool. */
  readonly roundTrip: OperationCase;
  /**
   * The commit baseline: creates a one-row table of the benchmark's own (in the store's file,
   * schema or database, removed with it) and returns an autocommitted update of that row.
   */
  commitBaseline(): Promise<OperationCase>;
  /** One value from the database, e.g. `select version()`. */
  queryText(text: string): Promise<string>;
  /** Runs a statement through the store's pool. */
  execute(text: string): Promise<void>;
}

/** Opens a manager on the `JDBC` config `config` (deploying the schema if `autoDeploy`). */
export async function openSqlBenchStore(config: PluginConfig): Promise<SqlBenchStore> {
  registerJobCachePlugin(benchSqlPlugin);
  const id = String(++nextId);
  const manager = await createJobCacheManager({
    ...config,
    protocol: "JDBC_BENCH",
    properties: { ...config.properties, [ID_PROPERTY]: id },
  });
  const store = opened.get(id)!;
  opened.delete(id);
  const { db, counter } = store;
  return {
    manager,
    db,
    statements: {
      reset: () => {
        counter.statements = 0;
      },
      read: () => counter.statements,
    },
    roundTrip: {
      name: "select 1",
      what: "`select 1` through the store's own Kysely instance and pool: one round trip",
      batch: 1,
      call: () => sql`select 1`.execute(db),
    },
    async commitBaseline() {
      await sql`create table bench_commit (id integer primary key, n integer not null)`.execute(db);
      await sql`insert into bench_commit (id, n) values (1, 0)`.execute(db);
      return {
        name: "commit",
        what: "`update bench_commit set n = n + 1 where id = 1`, autocommitted: one round trip and one durable commit",
        batch: 1,
        call: () => sql`update bench_commit set n = n + 1 where id = 1`.execute(db),
      };
    },
    async queryText(text) {
      const { rows } = await sql.raw<Record<string, unknown>>(text).execute(db);
      const first = rows[0];
      return first === undefined ? "" : String(Object.values(first)[0]);
    },
    async execute(text) {
      await sql.raw(text).execute(db);
    },
  };
}
