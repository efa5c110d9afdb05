/**
 * claimStatus: poll and grant in one atomic step. Leases on up to `limit` of the oldest entries
 * (entry_id order) whose status is listed and whose key no live lease holds; each lease is the
 * one `grant` at the entry's revision would give (same row, same takeover rule, same upsert).
 *
 * | strategy | dialects | statements | locking |
 * |---|---|---|---|
 * | one statement | PostgreSQL | 1 | `FOR UPDATE OF e SKIP LOCKED` on the entry rows, then the lease upsert in a writable CTE |
 * | transaction, skip locked | MariaDB / MySQL | 4 (MariaDB: BEGIN, select, upsert RETURNING, COMMIT); MySQL +1 read-back | `FOR UPDATE SKIP LOCKED` on the entry rows until COMMIT |
 * | transaction | SQLite (and portable) | 4: BEGIN IMMEDIATE, select, upsert or per-key grants, COMMIT | the single writer |
 *
 * Racing claimers never wait on each other: the entry rows one has picked are locked until its
 * commit and the others skip them. Exclusivity does not rest on that, though: the lease upsert's
 * takeover condition (free, at the same revision) is judged on the newest lease row, so a claimer
 * whose snapshot missed another's fresh lease simply gets fewer keys, never a held one.
 * A retry after a lost reply claims again with the same ticket ids; leases the lost attempt
 * committed are then left to expire.
 * @module
 */
import { type Kysely, type RawBuilder, sql } from "kysely";
import type { ClaimedLease, ClaimRequest } from "../../store.js";
import { RetryableConflict } from "../retry/retryable-conflict.js";
import { type JobcacheSchema, type MicrosColumn, microsToDate, toMicros } from "../schema.js";
import { durationMicros, holderOf, noLiveLease } from "./lease-sql.js";
import { LEASE_COLUMNS, leaseUpsertClause } from "./lease-upsert.js";
import { type EntryRow, toStoredEntry } from "./query-key.js";
import type { SqlContext } from "./sql-context.js";

interface ClaimedRow extends EntryRow {
  readonly ticket_id: string;
  readonly grant_time: MicrosColumn;
  readonly expiry: MicrosColumn;
}

/** Entries of the claim, oldest first, whose key has no live lease. */
function candidates(
  ctx: SqlContext,
  request: ClaimRequest,
  lock: RawBuilder<unknown>,
  { oneStatement = false } = {},
): RawBuilder<EntryRow> {
  // The oldest free entries of each status, each an ordered walk of the (cache, status, entry_id)
  // index that stops after `reach` free rows, merged: one `status in (...)` read would instead
  // check every entry of the cache for a live lease and sort them all (13 ms at 300 entries,
  // fresh). `reach` leaves room for the rows racing claimers hold locked (skipped below).
  const reach = request.limit + CLAIM_MARGIN;
  const branches = [...new Set(request.statuses)].map(
    (status, index) => sql`select * from (select e.entry_id from jobcache_entry e
        where e.cache_name = ${request.cacheName} and e.status = ${status} and ${noLiveLease(ctx)}
        order by e.entry_id limit ${reach}) ${sql.raw(`s${index}`)}`,
  );
  const oldest = sql`select t.entry_id from (${sql.join(branches, sql` union all `)}) t`;
  // PostgreSQL (the one-statement strategy): an array built once (an InitPlan), then primary-key
  // lookups; as `in (...)` the planner may run the merge again for every entry of the cache.
  const picked = oneStatement ? sql`e.entry_id = any(array(${oldest}))` : sql`e.entry_id in (${oldest})`;
  // The status again: a locking read sees the row's latest version, which may have moved on to
  // another status since the merge read it.
  return sql<EntryRow>`select e.entry_id, e.entry_key, e.revision, e.status, e.value from jobcache_entry e
    where e.cache_name = ${request.cacheName} and ${picked}
      and e.status in (${sql.join([...new Set(request.statuses)])})
      and ${noLiveLease(ctx)}
    order by e.entry_id limit ${request.limit} ${lock}`;
}

/** Candidates read beyond `limit`, per status, for the rows racing claimers hold locked. */
const CLAIM_MARGIN = 8;

function toClaimed(row: ClaimedRow): ClaimedLease {
  return {
    entry: toStoredEntry(row),
    ticketId: row.ticket_id,
    grantTime: microsToDate(row.grant_time),
    expiry: microsToDate(row.expiry),
  };
}

/**
 * PostgreSQL, one statement: `picked` locks the oldest free entries, skipping rows another claim
 * has locked; `numbered` pairs them with the caller's ticket ids; `granted` upserts their lease
 * rows (the takeover condition drops a key whose lease another grant took meanwhile).
 */
async function claimInOneStatement(ctx: SqlContext, request: ClaimRequest): Promise<ClaimedLease[]> {
  const { adapter } = ctx;
  const now = adapter.now();
  const ids = sql.join(
    request.ticketIds.slice(0, request.limit).map((id, n) => sql`(${adapter.int(n + 1)}, ${id})`),
  );
  const result = await sql<ClaimedRow>`with picked as (
      ${candidates(ctx, request, sql`for update of e skip locked`, { oneStatement: true })}
    ), numbered as (
      select p.*, row_number() over (order by p.entry_id) as n from picked p
    ), ids (n, ticket_id) as (values ${ids}
    ), granted as (
      insert into jobcache_lease ${LEASE_COLUMNS}
      select ${request.cacheName}, nb.entry_key, ids.ticket_id, nb.revision, 'granted',
        ${now}, ${now}, ${now} + ${adapter.bigint(durationMicros(request.durationMs))}, ${holderOf(request)}
      from numbered nb join ids on ids.n = nb.n
      ${leaseUpsertClause(ctx)}
      returning entry_key, ticket_id, grant_time, expiry
    )
    select nb.entry_key, nb.revision, nb.status, nb.value, g.ticket_id, g.grant_time, g.expiry
    from granted g join numbered nb on nb.entry_key = g.entry_key
    order by nb.n`.execute(ctx.db);
  return result.rows.map(toClaimed);
}

/**
 * The lease rows of the picked entries, in one upsert (each row conditional as in a grant), and
 * the rows it left: RETURNING where the dialect has it, else one SELECT of those keys.
 */
async function upsertLeases(
  ctx: SqlContext,
  trx: Kysely<JobcacheSchema>,
  request: ClaimRequest,
  picked: readonly EntryRow[],
): Promise<
  Map<string, { ticket_id: string; grant_time: MicrosColumn; expiry: MicrosColumn; state: string }>
> {
  const { adapter } = ctx;
  const now = adapter.now();
  const until = sql`${now} + ${adapter.bigint(durationMicros(request.durationMs))}`;
  const rows = picked.map(
    (entry, n) =>
      sql`(${request.cacheName}, ${entry.entry_key}, ${request.ticketIds[n]}, ${adapter.int(Number(entry.revision))},
        'granted', ${now}, ${now}, ${until}, ${holderOf(request)})`,
  );
  const insert = sql`insert into jobcache_lease ${LEASE_COLUMNS} values ${sql.join(rows)} ${leaseUpsertClause(ctx)}`;
  type Row = {
    entry_key: string;
    ticket_id: string;
    grant_time: MicrosColumn;
    expiry: MicrosColumn;
    state: string;
  };
  let after: readonly Row[];
  if (adapter.supportsInsertReturning) {
    after = (await sql<Row>`${insert} returning entry_key, ticket_id, state, grant_time, expiry`.execute(trx))
      .rows;
  } else {
    await insert.execute(trx);
    const keys = sql.join(picked.map((entry) => entry.entry_key));
    after = (
      await sql<Row>`select entry_key, ticket_id, state, grant_time, expiry from jobcache_lease
        where cache_name = ${request.cacheName} and entry_key in (${keys})`.execute(trx)
    ).rows;
  }
  return new Map(after.map((row) => [row.entry_key, row]));
}

/**
 * A transaction (SQLite, MariaDB, MySQL): select the oldest free entries, locked with SKIP LOCKED
 * where the dialect has it (SQLite's BEGIN IMMEDIATE holds the only write lock instead), then
 * upsert their lease rows. The entry rows stay locked until COMMIT, so their revisions cannot
 * move before the leases are written.
 */
async function claimInTransaction(ctx: SqlContext, request: ClaimRequest): Promise<ClaimedLease[]> {
  const { adapter } = ctx;
  const lock = adapter.supportsSkipLocked ? sql`for update skip locked` : sql``;
  return ctx.db.transaction().execute(async (trx) => {
    const picked = (await candidates(ctx, request, lock).execute(trx)).rows;
    if (picked.length === 0) return [];
    if (adapter.upsertStyle === "none") return claimOneByOne(ctx, trx, request, picked);
    const leases = await upsertLeases(ctx, trx, request, picked);
    return picked.flatMap((entry, n) => {
      const lease = leases.get(entry.entry_key);
      if (lease === undefined || lease.ticket_id !== request.ticketIds[n] || lease.state !== "granted")
        return [];
      return [
        toClaimed({
          ...entry,
          ticket_id: lease.ticket_id,
          grant_time: lease.grant_time,
          expiry: lease.expiry,
        }),
      ];
    });
  });
}

/**
 * Without an upsert (portable SQL): each picked key's lease row is inserted, or taken over by a
 * compare-and-set that repeats the takeover condition; a key that lost a race is left out.
 */
async function claimOneByOne(
  ctx: SqlContext,
  trx: Kysely<JobcacheSchema>,
  request: ClaimRequest,
  picked: readonly EntryRow[],
): Promise<ClaimedLease[]> {
  const { adapter } = ctx;
  const claimed: ClaimedLease[] = [];
  const nowRow = (await sql<{ now: MicrosColumn }>`select ${adapter.now()} as now`.execute(trx)).rows[0];
  const now = toMicros(nowRow?.now ?? 0);
  const expiry = now + durationMicros(request.durationMs);
  for (const [n, entry] of picked.entries()) {
    const ticketId = request.ticketIds[n]!;
    const revision = adapter.int(Number(entry.revision));
    const taken = await sql`update jobcache_lease set ticket_id = ${ticketId}, state = 'granted',
        grant_time = ${adapter.bigint(now)}, heartbeat_time = ${adapter.bigint(now)}, expiry = ${adapter.bigint(expiry)},
        last_request_id = null, last_result = null, holder = ${holderOf(request)}, renewals = 0
      where cache_name = ${request.cacheName} and entry_key = ${entry.entry_key} and revision = ${revision}
        and (state = 'released' or expiry <= ${adapter.bigint(now)})`.execute(trx);
    let held = taken.numAffectedRows === 1n;
    if (!held) {
      const exists = await sql`select 1 as one from jobcache_lease
        where cache_name = ${request.cacheName} and entry_key = ${entry.entry_key}`.execute(trx);
      if (exists.rows.length === 0) {
        try {
          await sql`insert into jobcache_lease ${LEASE_COLUMNS} values (${request.cacheName}, ${entry.entry_key},
            ${ticketId}, ${revision}, 'granted', ${adapter.bigint(now)}, ${adapter.bigint(now)}, ${adapter.bigint(expiry)},
            ${holderOf(request)})`.execute(trx);
        } catch (error) {
          if (adapter.classifyError(error) !== "duplicate") throw error;
          throw new RetryableConflict("a grant inserted a claimed key's lease row first");
        }
        held = true;
      }
    }
    if (held) {
      claimed.push({
        entry: toStoredEntry(entry),
        ticketId,
        grantTime: microsToDate(now),
        expiry: microsToDate(expiry),
      });
    }
  }
  return claimed;
}

/** Claims leases on up to `request.limit` entries, oldest first. */
export function claimStatus(ctx: SqlContext, request: ClaimRequest): Promise<ClaimedLease[]> {
  if (request.statuses.length === 0 || request.limit <= 0) return Promise.resolve([]);
  return ctx.adapter.supportsWritableCte && ctx.adapter.upsertStyle === "on-conflict"
    ? claimInOneStatement(ctx, request)
    : claimInTransaction(ctx, request);
}
