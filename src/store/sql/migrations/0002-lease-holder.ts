/**
 * Migration 0002: who holds a lease. `holder` is the instance id of the process the lease was
 * granted to (host:pid by default), `renewals` counts its renewals since the grant; `jobcache
 * inspect` shows both. Rows from before it have no holder (NULL) and 0 renewals. Immutable once
 * released.
 * @module
 */
import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";

/** An instance id: host name and process id, or what the user configures (validated to this). */
const HOLDER = "varchar(256)";

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema type
type AnyDb = Kysely<any>;

/** Adds `holder` and `renewals` to the lease table. */
export function addLeaseHolder(): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      // one column per statement: SQLite's ALTER TABLE adds one at a time
      await db.schema.alterTable("jobcache_lease").addColumn("holder", HOLDER).execute();
      await db.schema
        .alterTable("jobcache_lease")
        .addColumn("renewals", "integer", (column) => column.notNull().defaultTo(0))
        .execute();
    },
    async down(db: AnyDb): Promise<void> {
      await db.schema.alterTable("jobcache_lease").dropColumn("renewals").execute();
      await db.schema.alterTable("jobcache_lease").dropColumn("holder").execute();
    },
  };
}
