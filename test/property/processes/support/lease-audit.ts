/**
 * The lease audit: a test-only trigger on `jobcache_lease` records every row change (key, ticket,
 * grant time, expiry, state, revision, request id), all in database-clock microseconds, so a test
 * can prove from the database's own record that the tickets of one key never overlapped and that
 * every write landed exactly once. The checks are pure functions of the recorded rows.
 */
import { type Kysely, sql } from "kysely";
import type { JobcacheSchema } from "../../../../src/store/sql/schema.js";

/** The dialects the audit trigger can be installed on. */
export type AuditDialect = "SQLITE" | "POSTGRESQL";

/** The database's current time in microseconds, as the store's adapters compute it. */
export function databaseNow(dialect: AuditDialect) {
  return dialect === "POSTGRESQL"
    ? sql<number>`(extract(epoch from clock_timestamp()) * 1000000)::bigint`
    : sql<number>`cast(unixepoch('subsec') * 1000000 as integer)`;
}

const COLUMNS =
  "cache_name, entry_key, ticket_id, revision, state, grant_time, expiry, last_request_id, logged_at";
const VALUES = (now: string) =>
  `new.cache_name, new.entry_key, new.ticket_id, new.revision, new.state, new.grant_time, new.expiry, new.last_request_id, ${now}`;

/**
 * Creates `lease_audit` and the trigger filling it, after the schema is deployed. PostgreSQL:
 * in `schema` (names qualified, so the trigger works whatever a connection's search_path);
 * dropping the schema removes them. SQLite: in the database file.
 */
export async function installLeaseAudit(
  db: Kysely<JobcacheSchema>,
  dialect: AuditDialect,
  schema = "public",
): Promise<void> {
  if (dialect === "POSTGRESQL") {
    const s = `"${schema}"`;
    const now = "(extract(epoch from clock_timestamp()) * 1000000)::bigint";
    await sql
      .raw(`create table ${s}.lease_audit (seq bigserial primary key, cache_name varchar(256) not null,
        entry_key varchar(256) not null, ticket_id varchar(64) not null, revision integer not null,
        state varchar(16) not null, grant_time bigint not null, expiry bigint not null,
        last_request_id varchar(64), logged_at bigint not null)`)
      .execute(db);
    await sql
      .raw(`create function ${s}.lease_audit_log() returns trigger language plpgsql as $$
        begin
          insert into ${s}.lease_audit (${COLUMNS}) values (${VALUES(now)});
          return null;
        end $$`)
      .execute(db);
    await sql
      .raw(`create trigger lease_audit after insert or update on ${s}.jobcache_lease
        for each row execute function ${s}.lease_audit_log()`)
      .execute(db);
    return;
  }
  const now = "cast(unixepoch('subsec') * 1000000 as integer)";
  await sql
    .raw(`create table lease_audit (seq integer primary key autoincrement, cache_name text not null,
      entry_key text not null, ticket_id text not null, revision integer not null, state text not null,
      grant_time integer not null, expiry integer not null, last_request_id text, logged_at integer not null)`)
    .execute(db);
  for (const event of ["insert", "update"]) {
    await sql
      .raw(`create trigger lease_audit_${event} after ${event} on jobcache_lease begin
        insert into lease_audit (${COLUMNS}) values (${VALUES(now)});
      end`)
      .execute(db);
  }
}

/** One recorded change of a lease row. Times in database microseconds. */
export interface AuditRow {
  readonly seq: number;
  readonly key: string;
  readonly ticketId: string;
  readonly revision: number;
  readonly state: string;
  readonly grantTime: number;
  readonly expiry: number;
  readonly requestId: string | null;
  /** When the trigger ran (clock_timestamp on PostgreSQL): diagnostics only. */
  readonly loggedAt: number;
}

/**
 * The recorded changes of `cacheName`'s leases, in the order they happened; without a cache
 * name, of every cache, with keys named `cache/key`.
 */
export async function readLeaseAudit(db: Kysely<JobcacheSchema>, cacheName?: string): Promise<AuditRow[]> {
  const where = cacheName === undefined ? sql`` : sql`where cache_name = ${cacheName}`;
  const result = await sql<Record<string, unknown>>`select seq, cache_name, entry_key, ticket_id, revision,
      state, grant_time, expiry, last_request_id, logged_at
    from lease_audit ${where} order by seq`.execute(db);
  return result.rows.map((row) => ({
    seq: Number(row.seq),
    key:
      cacheName === undefined ? `${String(row.cache_name)}/${String(row.entry_key)}` : String(row.entry_key),
    ticketId: String(row.ticket_id),
    revision: Number(row.revision),
    state: String(row.state),
    grantTime: Number(row.grant_time),
    expiry: Number(row.expiry),
    requestId: row.last_request_id === null ? null : String(row.last_request_id),
    loggedAt: Number(row.logged_at),
  }));
}

/** One ticket's hold on a key: from its grant to the last expiry recorded for it. */
export interface TicketInterval {
  readonly key: string;
  readonly ticketId: string;
  readonly start: number;
  readonly end: number;
}

/** What the audit found: tickets per key, and every violation as a readable line. */
export interface LeaseAuditResult {
  readonly intervals: readonly TicketInterval[];
  readonly problems: readonly string[];
}

function byKey(rows: readonly AuditRow[]): Map<string, AuditRow[]> {
  const groups = new Map<string, AuditRow[]>();
  for (const row of [...rows].sort((a, b) => a.seq - b.seq)) {
    const group = groups.get(row.key) ?? [];
    group.push(row);
    groups.set(row.key, group);
  }
  return groups;
}

/** Runs of consecutive rows of one ticket; a ticket that shows up in two runs is a problem. */
function ticketRuns(key: string, rows: readonly AuditRow[], problems: string[]): TicketInterval[] {
  const intervals: TicketInterval[] = [];
  const seen = new Set<string>();
  let current: { ticketId: string; start: number; end: number } | undefined;
  const close = () => {
    if (current !== undefined) intervals.push({ key, ...current });
  };
  for (const row of rows) {
    if (current?.ticketId === row.ticketId) {
      if (row.grantTime !== current.start) {
        problems.push(`${key}: ticket ${row.ticketId} changed its grant time (row ${row.seq})`);
      }
      current.end = row.expiry;
      continue;
    }
    if (seen.has(row.ticketId)) {
      problems.push(
        `${key}: ticket ${row.ticketId} changed the lease again after another ticket took it (row ${row.seq})`,
      );
    }
    close();
    seen.add(row.ticketId);
    current = { ticketId: row.ticketId, start: row.grantTime, end: row.expiry };
  }
  close();
  return intervals;
}

/**
 * Exclusivity by the database clock: for each key, the intervals [grant time, last recorded
 * expiry] (a release records expiry = database now) of different tickets never overlap.
 */
export function auditLeases(rows: readonly AuditRow[]): LeaseAuditResult {
  const problems: string[] = [];
  const intervals: TicketInterval[] = [];
  for (const [key, group] of byKey(rows)) {
    const runs = ticketRuns(key, group, problems).sort((a, b) => a.start - b.start);
    let holder: TicketInterval | undefined;
    for (const run of runs) {
      if (holder !== undefined && run.start < holder.end) {
        problems.push(
          `${key}: ticket ${run.ticketId} granted at ${run.start} while ticket ${holder.ticketId} held the key ` +
            `until ${holder.end} (overlap ${holder.end - run.start} µs)`,
        );
      }
      if (holder === undefined || run.end > holder.end) holder = run;
    }
    intervals.push(...runs);
  }
  return { intervals, problems };
}

/**
 * The revisions committed on each key, one per write (a write records a new request id; a
 * renewal of a committed lease repeats the old one), in the order they were written.
 */
export function writtenRevisions(rows: readonly AuditRow[]): Map<string, number[]> {
  const written = new Map<string, number[]>();
  for (const [key, group] of byKey(rows)) {
    const revisions: number[] = [];
    let last: string | null = null;
    for (const row of group) {
      if (row.state === "committed" && row.requestId !== null && row.requestId !== last) {
        revisions.push(row.revision);
      }
      last = row.state === "committed" ? row.requestId : null;
    }
    written.set(key, revisions);
  }
  return written;
}

/** Whether the lease of `key` has expired (or was released) by the database clock; false if none. */
export async function leaseEnded(
  db: Kysely<JobcacheSchema>,
  dialect: AuditDialect,
  cacheName: string,
  key: string,
): Promise<boolean> {
  const result = await sql<{
    ended: unknown;
  }>`select case when state = 'released' or expiry <= ${databaseNow(dialect)}
      then 1 else 0 end as ended from jobcache_lease where cache_name = ${cacheName} and entry_key = ${key}`.execute(
    db,
  );
  return Number(result.rows[0]?.ended ?? 0) === 1;
}
