/**
 * Migration 0001: the entry table and the lease table, with the indexes of the hot path.
 * Immutable once released: later changes are new numbered files. Dialect differences (the
 * auto-increment id, the text type) come from the adapter.
 * @module
 */
import { type CreateTableBuilder, type Kysely, sql } from "kysely";
import type { Migration } from "kysely/migration";
import type { DialectAdapter } from "../dialects/dialect-adapter.js";

const NAME = "varchar(256)";
/** A ticket or request id: a UUID is 36 characters; plugins may choose other ids up to 64. */
const ID = "varchar(64)";

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema type
type AnyDb = Kysely<any>;

/** The dialect's table options, if any (MySQL: InnoDB, utf8mb4, a case-sensitive collation). */
function withTableOptions<T extends string, C extends string>(
  table: CreateTableBuilder<T, C>,
  adapter: DialectAdapter,
) {
  const options = adapter.ddl.tableOptions;
  return options === undefined ? table : table.modifyEnd(sql.raw(options));
}

async function createEntryTable(db: AnyDb, adapter: DialectAdapter): Promise<void> {
  await adapter.ddl
    .addEntryId(db.schema.createTable("jobcache_entry"))
    .addColumn("cache_name", NAME, (column) => column.notNull())
    .addColumn("entry_key", NAME, (column) => column.notNull())
    .addColumn("revision", "integer", (column) => column.notNull())
    .addColumn("status", NAME, (column) => column.notNull())
    .addColumn("value", sql.raw(adapter.ddl.textType), (column) => column.notNull())
    .addUniqueConstraint("jobcache_entry_key", ["cache_name", "entry_key"])
    .$call((table) => withTableOptions(table, adapter))
    .execute();
  // queryStatus: one cache, some statuses, in creation order.
  await db.schema
    .createIndex("jobcache_entry_by_status")
    .on("jobcache_entry")
    .columns(["cache_name", "status", "entry_id"])
    .execute();
}

async function createLeaseTable(db: AnyDb, adapter: DialectAdapter): Promise<void> {
  await db.schema
    .createTable("jobcache_lease")
    .addColumn("cache_name", NAME, (column) => column.notNull())
    .addColumn("entry_key", NAME, (column) => column.notNull())
    .addColumn("ticket_id", ID, (column) => column.notNull())
    .addColumn("revision", "integer", (column) => column.notNull())
    .addColumn("state", "varchar(16)", (column) =>
      column.notNull().check(sql`state in ('granted', 'committed', 'released')`),
    )
    .addColumn("grant_time", "bigint", (column) => column.notNull())
    .addColumn("heartbeat_time", "bigint", (column) => column.notNull())
    .addColumn("expiry", "bigint", (column) => column.notNull())
    .addColumn("last_request_id", ID)
    .addColumn("last_result", "integer")
    // One row per key: "one live ticket per key" is this constraint.
    .addPrimaryKeyConstraint("jobcache_lease_pk", ["cache_name", "entry_key"])
    .$call((table) => withTableOptions(table, adapter))
    .execute();
  // Live / expired leases of a cache: inspect, sweeps, and expiry-ordered scans.
  await db.schema
    .createIndex("jobcache_lease_by_expiry")
    .on("jobcache_lease")
    .columns(["cache_name", "expiry"])
    .execute();
}

/** Creates the tables for `adapter`'s dialect. */
export function createTables(adapter: DialectAdapter): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await createEntryTable(db, adapter);
      await createLeaseTable(db, adapter);
    },
    async down(db: AnyDb): Promise<void> {
      await db.schema.dropTable("jobcache_lease").execute();
      await db.schema.dropTable("jobcache_entry").execute();
    },
  };
}
