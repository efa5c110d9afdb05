/**
 * The grant (openTicket, openNewTicket): every strategy states the same rule, `decideGrant` of
 * src/base/lease-rules.ts: granted when no live lease holds the key and the entry condition holds
 * (no entry for openNewTicket; the entry at exactly the asked revision for openTicket); a retry
 * with the same ticket id returns the original grant. The adapter's capabilities pick one:
 *
 * | strategy | dialects | statements (granted / refused) | locking |
 * |---|---|---|---|
 * | one-statement | PostgreSQL | 1 / 1 | the upsert's ON CONFLICT locks the row; a racing grant waits, then re-checks on the newest version |
 * | upsert | SQLite | 1 / 2 | the single writer; the probe only classifies a refusal already made |
 * | duplicate-key | MariaDB / MySQL | 1 / 2 (MariaDB), 2 / 2 (MySQL) | ON DUPLICATE KEY locks the row; the decision is one column IF chain |
 * | transaction | portable | 5 / 4 | `SELECT ... FOR UPDATE` on the lease row (else BEGIN IMMEDIATE) |
 * @module
 */
import { type Kysely, type RawBuilder, sql } from "kysely";
import { decideGrant, type GrantOutcome } from "../../../base/lease-rules.js";
import type { GrantRequest, GrantResult, KeyRef } from "../../store.js";
import { RetryableConflict } from "../retry/retryable-conflict.js";
import {
  type JobcacheSchema,
  type MicrosColumn,
  microsToDate,
  type StoredLeaseState,
  toMicros,
} from "../schema.js";
import { durationMicros, entryRevision, holderOf, isEntryOf, isLeaseOf, toLeaseRecord } from "./lease-sql.js";
import { LEASE_COLUMNS, leaseUpsertClause } from "./lease-upsert.js";
import { changedOne, firstRow, type SqlContext } from "./sql-context.js";

/** The lease row and entry revision a grant saw, with the database time. */
interface GrantProbe {
  readonly now: MicrosColumn;
  readonly ticket_id: string | null;
  readonly state: StoredLeaseState | null;
  readonly grant_time: MicrosColumn | null;
  readonly expiry: MicrosColumn | null;
  readonly entry_revision: number | null;
}

/** A lease row as an upsert returns it. */
interface GrantedRow {
  readonly ticket_id: string;
  readonly state: StoredLeaseState;
  readonly grant_time: MicrosColumn;
  readonly expiry: MicrosColumn;
}

function granted(grantTime: MicrosColumn, expiry: MicrosColumn): GrantResult {
  return { outcome: "granted", grantTime: microsToDate(grantTime), expiry: microsToDate(expiry) };
}

function decide(request: GrantRequest, probe: GrantProbe): GrantOutcome {
  const lease =
    probe.ticket_id === null || probe.state === null || probe.expiry === null
      ? undefined
      : toLeaseRecord({ ticket_id: probe.ticket_id, state: probe.state, expiry: probe.expiry });
  const entry = probe.entry_revision === null ? undefined : Number(probe.entry_revision);
  return decideGrant(lease, request.revision, entry, toMicros(probe.now));
}

/**
 * Superseded or missing, with both times set to the database's now. The rule can only say
 * "granted" here after a race the statement lost (a concurrent grant or write changed the row
 * after the probe's snapshot); someone else then holds or changed the key: superseded.
 */
function refused(request: GrantRequest, probe: GrantProbe): GrantResult {
  const at = microsToDate(probe.now);
  const outcome = decide(request, probe) === "missing" ? "missing" : "superseded";
  return { outcome, grantTime: at, expiry: at };
}

/** The lease row, the entry's revision and the database time, in one SELECT (always one row). */
function probeSql(ctx: SqlContext, ref: KeyRef): RawBuilder<GrantProbe> {
  return sql<GrantProbe>`select ${ctx.adapter.now()} as now, l.ticket_id, l.state, l.grant_time, l.expiry,
      ${entryRevision(ref)} as entry_revision
    from (select 1 as one) probe
    left join jobcache_lease l on l.cache_name = ${ref.cacheName} and l.entry_key = ${ref.key}`;
}

async function probe(ctx: SqlContext, ref: KeyRef, executor: Kysely<JobcacheSchema> = ctx.db) {
  const row = firstRow(await probeSql(ctx, ref).execute(executor));
  if (row === undefined) throw new Error("grant probe returned no row");
  return row;
}

/** openNewTicket needs no entry; openTicket needs the entry at exactly that revision. */
function entryCondition(request: GrantRequest): RawBuilder<boolean> {
  return request.revision === null
    ? sql<boolean>`not exists (select 1 from jobcache_entry e where ${isEntryOf(request, "e")})`
    : sql<boolean>`exists (select 1 from jobcache_entry e where ${isEntryOf(request, "e")} and e.revision = ${request.revision})`;
}

/**
 * `INSERT ... SELECT <new lease> WHERE <entry condition> <upsert clause>`: inserts or takes over
 * the row only while the entry condition holds; RETURNING (where present) gives the row after.
 */
function leaseUpsert(ctx: SqlContext, request: GrantRequest, returning: boolean): RawBuilder<GrantedRow> {
  const { adapter } = ctx;
  const now = adapter.now();
  const back = returning ? sql`returning ticket_id, state, grant_time, expiry` : sql``;
  return sql<GrantedRow>`insert into jobcache_lease ${LEASE_COLUMNS}
    select ${request.cacheName}, ${request.key}, ${request.ticketId}, ${adapter.int(request.revision ?? 0)}, 'granted',
      ${now}, ${now}, ${now} + ${adapter.bigint(durationMicros(request.durationMs))}, ${holderOf(request)}
    where ${entryCondition(request)}
    ${leaseUpsertClause(ctx)} ${back}`;
}

/**
 * PostgreSQL: the upsert runs in a writable CTE and the same statement reports the lease row and
 * entry as they were before it, so a refusal needs no second round trip.
 */
async function grantInOneStatement(ctx: SqlContext, request: GrantRequest): Promise<GrantResult> {
  const row = firstRow(
    await sql<GrantProbe & { granted_time: MicrosColumn | null; granted_expiry: MicrosColumn | null }>`
      with granted as (${leaseUpsert(ctx, request, true)})
      select ${ctx.adapter.now()} as now, g.grant_time as granted_time, g.expiry as granted_expiry,
        l.ticket_id, l.state, l.grant_time, l.expiry, ${entryRevision(request)} as entry_revision
      from (select 1 as one) probe
      left join granted g on true
      left join jobcache_lease l on l.cache_name = ${request.cacheName} and l.entry_key = ${request.key}`.execute(
      ctx.db,
    ),
  );
  if (row === undefined) throw new Error("grant statement returned no row");
  if (row.granted_time !== null && row.granted_expiry !== null)
    return granted(row.granted_time, row.granted_expiry);
  return refused(request, row);
}

/**
 * SQLite: one upsert with RETURNING (a row only when granted). No transaction: the upsert alone
 * decides atomically under the single writer; a refusal is classified by one probe afterwards.
 */
async function grantByUpsert(ctx: SqlContext, request: GrantRequest): Promise<GrantResult> {
  const row = firstRow(await leaseUpsert(ctx, request, true).execute(ctx.db));
  if (row !== undefined) return granted(row.grant_time, row.expiry);
  return refused(request, await probe(ctx, request));
}

/**
 * MariaDB / MySQL: one `INSERT ... ON DUPLICATE KEY UPDATE` decides (the row lock of the key
 * serialises racing grants). It always leaves a row behind when the entry condition held, so the
 * row after it says the outcome: ours and granted. MariaDB returns that row (RETURNING gives it
 * also when nothing changed; affectedRows cannot tell, see mysql2's FOUND_ROWS in
 * docs/dialects.md); MySQL reads it back with the probe. A row of another ticket, or no row (the
 * entry condition failed), is a refusal classified by the probe.
 */
async function grantByDuplicateKey(ctx: SqlContext, request: GrantRequest): Promise<GrantResult> {
  if (ctx.adapter.supportsInsertReturning) {
    const row = firstRow(await leaseUpsert(ctx, request, true).execute(ctx.db));
    if (row !== undefined && row.ticket_id === request.ticketId && row.state === "granted") {
      return granted(row.grant_time, row.expiry);
    }
    return refused(request, await probe(ctx, request));
  }
  await leaseUpsert(ctx, request, false).execute(ctx.db);
  const after = await probe(ctx, request);
  // The probe's now is after the upsert's: a lease that is ours and live by it was granted.
  const { grant_time: grantTime, expiry } = after;
  if (
    after.ticket_id === request.ticketId &&
    after.state === "granted" &&
    grantTime !== null &&
    expiry !== null
  ) {
    if (toMicros(expiry) > toMicros(after.now)) return granted(grantTime, expiry);
  }
  return refused(request, after);
}

/**
 * Portable SQL in a transaction: lock and read the lease row, decide by the lease rules with the
 * database's time, then insert the row or compare-and-set it. A concurrent first insert of the
 * same key fails on the primary key and the grant is retried.
 */
async function grantInTransaction(ctx: SqlContext, request: GrantRequest): Promise<GrantResult> {
  const { adapter } = ctx;
  return ctx.db.transaction().execute(async (trx) => {
    const old = firstRow(
      await sql<GrantedRow>`select ticket_id, state, grant_time, expiry from jobcache_lease
        where ${isLeaseOf(request, "jobcache_lease")} ${adapter.forUpdate()}`.execute(trx),
    );
    const seen = await probe(ctx, request, trx);
    const now = toMicros(seen.now);
    if (old?.ticket_id === request.ticketId && old.state === "granted" && toMicros(old.expiry) > now) {
      return granted(old.grant_time, old.expiry); // a retry of a grant that did commit
    }
    if (decide(request, seen) !== "granted") return refused(request, seen);
    const expiry = now + durationMicros(request.durationMs);
    const at = adapter.bigint(now);
    const until = adapter.bigint(expiry);
    const revision = adapter.int(request.revision ?? 0);
    if (old === undefined) {
      try {
        await sql`insert into jobcache_lease ${LEASE_COLUMNS}
          values (${request.cacheName}, ${request.key}, ${request.ticketId}, ${revision}, 'granted', ${at}, ${at}, ${until},
            ${holderOf(request)})`.execute(trx);
      } catch (error) {
        if (adapter.classifyError(error) !== "duplicate") throw error;
        throw new RetryableConflict("another grant inserted the lease row first");
      }
    } else {
      const update =
        await sql`update jobcache_lease set ticket_id = ${request.ticketId}, revision = ${revision},
          state = 'granted', grant_time = ${at}, heartbeat_time = ${at}, expiry = ${until},
          last_request_id = null, last_result = null, holder = ${holderOf(request)}, renewals = 0
        where ${isLeaseOf(request, "jobcache_lease")} and ticket_id = ${old.ticket_id} and state = ${old.state}
          and expiry = ${adapter.bigint(toMicros(old.expiry))}`.execute(trx);
      if (!changedOne(update)) throw new RetryableConflict("the lease row changed while granting");
    }
    return granted(now, expiry);
  });
}

/** Grants a lease or says why not (superseded / missing), with database times. */
export function grantTicket(ctx: SqlContext, request: GrantRequest): Promise<GrantResult> {
  switch (ctx.adapter.grantStrategy) {
    case "one-statement":
      return grantInOneStatement(ctx, request);
    case "upsert":
      return grantByUpsert(ctx, request);
    case "duplicate-key":
      return grantByDuplicateKey(ctx, request);
    default:
      return grantInTransaction(ctx, request);
  }
}
