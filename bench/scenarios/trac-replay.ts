/**
 * The baseline of the scenarios: a replay of TRAC's JDBC job cache statement sequence, on tables
 * of its own in the same schema or database, through the same pool (and, on PostgreSQL, the same
 * named prepared statements) as the store. Every call is its own transaction, as TRAC's:
 * - a grant inserts the ticket row, selects the entry, and updates the ticket with the revision
 *   it saw (a duplicate ticket row, another holder, rolls back: superseded);
 * - every write and read first selects the ticket row (held by this ticket, not expired), then
 *   writes or reads the entry;
 * - a close deletes the ticket row; a poll is one SELECT leaving out keys with a live ticket.
 * Times are the client's clock, as TRAC's (Java `Instant.now()`).
 * @module
 */
import { randomUUID } from "node:crypto";
import { type Kysely, sql } from "kysely";
import type { CallEntry, CallTicket, JobCalls } from "./job-calls.js";

/** A ticket of the replay. */
export interface ReplayTicket extends CallTicket {
  readonly id: string;
  /** The entry revision this ticket last saw (TRAC's ticket keeps it too). */
  readonly seen: { revision: number };
}

// biome-ignore lint/suspicious/noExplicitAny: the replay's tables are not in the store's schema type
type AnyDb = Kysely<any>;

/** Creates the replay's two tables (`text` for values: every dialect here has it). */
export async function createReplayTables(db: AnyDb): Promise<void> {
  await sql`create table trac_entry (cache_name varchar(200) not null, entry_key varchar(200) not null,
    revision integer not null, status varchar(200) not null, value text not null, seq bigint not null,
    primary key (cache_name, entry_key))`.execute(db);
  await sql`create index trac_entry_by_status on trac_entry (cache_name, status, seq)`.execute(db);
  await sql`create table trac_ticket (cache_name varchar(200) not null, entry_key varchar(200) not null,
    ticket_id varchar(64) not null, revision integer not null, grant_time bigint not null,
    expiry bigint not null, primary key (cache_name, entry_key))`.execute(db);
}

class Refused extends Error {}

let sequence = 0;

/** The replay of one cache name, over `db`. */
export class TracReplay implements JobCalls<ReplayTicket, unknown> {
  readonly #db: AnyDb;
  readonly #cache: string;

  constructor(db: AnyDb, cacheName: string) {
    this.#db = db;
    this.#cache = cacheName;
  }

  async #grant(key: string, revision: number | null, durationMs: number): Promise<ReplayTicket> {
    const id = randomUUID();
    const now = Date.now() * 1000;
    try {
      return await this.#db.transaction().execute(async (trx) => {
        await sql`insert into trac_ticket (cache_name, entry_key, ticket_id, revision, grant_time, expiry)
          values (${this.#cache}, ${key}, ${id}, 0, ${now}, ${now + durationMs * 1000})`.execute(trx);
        const { rows } = await sql<{ revision: number }>`select revision from trac_entry
          where cache_name = ${this.#cache} and entry_key = ${key}`.execute(trx);
        const found = rows[0]?.revision;
        if (revision === null ? found !== undefined : found !== revision) throw new Refused();
        await sql`update trac_ticket set revision = ${revision ?? 0}
          where cache_name = ${this.#cache} and entry_key = ${key} and ticket_id = ${id}`.execute(trx);
        return ticketOf(id, key, revision ?? 0, false);
      });
    } catch (error) {
      // A duplicate ticket row (another holder), a deadlock between two such inserts (InnoDB), or
      // an entry at another revision: nothing held.
      if (error instanceof Refused || isDuplicate(error) || isDeadlock(error))
        return ticketOf(id, key, revision ?? 0, true);
      throw error;
    }
  }

  openNewTicket(key: string, durationMs: number): Promise<ReplayTicket> {
    return this.#grant(key, null, durationMs);
  }

  openTicket(key: string, revision: number, durationMs: number): Promise<ReplayTicket> {
    return this.#grant(key, revision, durationMs);
  }

  async closeTicket(ticket: ReplayTicket): Promise<void> {
    if (ticket.superseded) return;
    await this.#db.transaction().execute(async (trx) => {
      await sql`delete from trac_ticket where cache_name = ${this.#cache} and entry_key = ${ticket.key}
        and ticket_id = ${ticket.id}`.execute(trx);
    });
  }

  /** The ticket SELECT before every write or read, in the call's transaction. */
  async #checkTicket(trx: AnyDb, ticket: ReplayTicket): Promise<void> {
    const { rows } = await sql<{ ticket_id: string; expiry: number | string }>`select ticket_id, expiry
      from trac_ticket where cache_name = ${this.#cache} and entry_key = ${ticket.key}`.execute(trx);
    const row = rows[0];
    if (row === undefined || row.ticket_id !== ticket.id || Number(row.expiry) <= Date.now() * 1000)
      throw new Error(`replay: ticket on ${ticket.key} is not held`);
  }

  createEntry(ticket: ReplayTicket, status: string, value: unknown): Promise<number> {
    return this.#db.transaction().execute(async (trx) => {
      await this.#checkTicket(trx, ticket);
      await sql`insert into trac_entry (cache_name, entry_key, revision, status, value, seq)
        values (${this.#cache}, ${ticket.key}, 1, ${status}, ${JSON.stringify(value)}, ${nextSeq()})`.execute(
        trx,
      );
      return 1;
    });
  }

  updateEntry(ticket: ReplayTicket, status: string, value: unknown): Promise<number> {
    return this.#db.transaction().execute(async (trx) => {
      await this.#checkTicket(trx, ticket);
      const next = ticket.seen.revision + 1;
      const result = await sql`update trac_entry set revision = ${next}, status = ${status},
        value = ${JSON.stringify(value)} where cache_name = ${this.#cache} and entry_key = ${ticket.key}
        and revision = ${ticket.seen.revision}`.execute(trx);
      if (Number(result.numAffectedRows ?? 0) !== 1) throw new Error(`replay: no entry ${ticket.key}`);
      ticket.seen.revision = next;
      return next;
    });
  }

  async deleteEntry(ticket: ReplayTicket): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await this.#checkTicket(trx, ticket);
      await sql`delete from trac_entry where cache_name = ${this.#cache} and entry_key = ${ticket.key}`.execute(
        trx,
      );
    });
  }

  readEntry(ticket: ReplayTicket): Promise<CallEntry> {
    return this.#db.transaction().execute(async (trx) => {
      await this.#checkTicket(trx, ticket);
      const { rows } = await sql<{ revision: number; status: string; value: string }>`select revision,
        status, value from trac_entry where cache_name = ${this.#cache} and entry_key = ${ticket.key}`.execute(
        trx,
      );
      const row = rows[0];
      if (row === undefined) throw new Error(`replay: no entry ${ticket.key}`);
      JSON.parse(row.value);
      return { key: ticket.key, revision: Number(row.revision), status: row.status };
    });
  }

  async queryStatus(statuses: readonly string[], options: { limit: number }): Promise<CallEntry[]> {
    const now = Date.now() * 1000;
    const { rows } = await sql<{ entry_key: string; revision: number; status: string; value: string }>`
      select e.entry_key, e.revision, e.status, e.value from trac_entry e
      where e.cache_name = ${this.#cache} and e.status in (${sql.join([...statuses])})
      and not exists (select 1 from trac_ticket t where t.cache_name = e.cache_name
        and t.entry_key = e.entry_key and t.expiry > ${now})
      order by e.seq limit ${options.limit}`.execute(this.#db);
    return rows.map((row) => ({ key: row.entry_key, revision: Number(row.revision), status: row.status }));
  }
}

function ticketOf(id: string, key: string, revision: number, superseded: boolean): ReplayTicket {
  return { id, key, revision, superseded, missing: false, seen: { revision } };
}

/** Creation order across the processes of one run: microseconds, then a per-process counter. */
function nextSeq(): number {
  sequence = (sequence + 1) % 1000;
  return Date.now() * 1000 + sequence;
}

/** A deadlock the server broke by rolling this transaction back (MySQL/MariaDB 1213, PostgreSQL 40P01). */
function isDeadlock(error: unknown): boolean {
  const { code, errno } = (error ?? {}) as { code?: unknown; errno?: unknown };
  return code === "40P01" || errno === 1213;
}

/** A unique-key violation on PostgreSQL (23505), MySQL/MariaDB (1062) or SQLite. */
function isDuplicate(error: unknown): boolean {
  const { code, errno } = (error ?? {}) as { code?: unknown; errno?: unknown };
  return (
    code === "23505" || errno === 1062 || code === "ER_DUP_ENTRY" || /^SQLITE_CONSTRAINT/.test(String(code))
  );
}
