/**
 * queryStatus: entries of one cache whose status is listed, oldest created first (entry_id),
 * leaving out those whose key has a live lease unless asked.
 *
 * The statement is shaped so that its plan is the index plan whatever the planner's statistics
 * say, because a cache is often queried right after it filled, before any ANALYZE (PostgreSQL
 * chose a join against all of a cache's leases, or a sort of all its entries, on fresh tables:
 * 2.5 ms at 1,000 entries against 0.5 ms analyzed):
 * - one status: `status = ?` with `order by entry_id limit n` reads the (cache_name, status,
 *   entry_id) index in order and stops after n rows;
 * - several statuses with a limit: one such ordered, limited read per status, merged (at most
 *   n per status are sorted, however many entries match), instead of `status in (...)`, whose
 *   rows no index returns in entry_id order;
 * - the live-lease test is a scalar subquery on the lease primary key (cache_name, entry_key),
 *   which cannot be turned into a join over all the cache's leases: at most one row per entry.
 * EXPLAIN is checked in test/sql/explain.test.ts and test/sql/mysql/mysql-explain.test.ts, on
 * analyzed and on fresh tables.
 * @module
 */
import { type RawBuilder, sql } from "kysely";
import type { StatusQuery, StoredEntry } from "../../store.js";
import { noLiveLease } from "./lease-sql.js";
import { type EntryRow, toStoredEntry } from "./query-key.js";
import type { SqlContext } from "./sql-context.js";

/** Entries of `status` (or, without a status, of the listed ones), oldest first. */
function select(
  ctx: SqlContext,
  cacheName: string,
  status: RawBuilder<boolean>,
  query: StatusQuery,
): RawBuilder<EntryRow & { entry_id: number }> {
  const hideLive = query.includeOpenTickets ? sql`` : sql`and ${noLiveLease(ctx)}`;
  const limit = query.limit === undefined ? sql`` : sql`limit ${query.limit}`;
  return sql`select e.entry_id, e.entry_key, e.revision, e.status, e.value from jobcache_entry e
    where e.cache_name = ${cacheName} and ${status} ${hideLive}
    order by e.entry_id ${limit}`;
}

/** Entries in `statuses`, oldest first. */
export async function queryStatus(
  ctx: SqlContext,
  cacheName: string,
  statuses: readonly string[],
  query: StatusQuery,
): Promise<StoredEntry[]> {
  const distinct = [...new Set(statuses)];
  if (distinct.length === 0 || query.limit === 0) return [];
  let statement: RawBuilder<EntryRow>;
  if (distinct.length === 1 || query.limit === undefined) {
    const status =
      distinct.length === 1
        ? sql<boolean>`e.status = ${distinct[0]}`
        : sql<boolean>`e.status in (${sql.join(distinct)})`;
    statement = select(ctx, cacheName, status, query);
  } else {
    // Each branch is wrapped in a derived table: SQLite allows no ORDER BY / LIMIT on a branch itself.
    const branches = distinct.map(
      (one, index) =>
        sql`select * from (${select(ctx, cacheName, sql`e.status = ${one}`, query)}) ${sql.raw(`s${index}`)}`,
    );
    statement = sql<EntryRow>`select t.entry_key, t.revision, t.status, t.value
      from (${sql.join(branches, sql` union all `)}) t order by t.entry_id limit ${query.limit}`;
  }
  const result = await statement.execute(ctx.db);
  return result.rows.map(toStoredEntry);
}
