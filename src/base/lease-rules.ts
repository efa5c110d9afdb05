/**
 * The lease rules of CONTRACT.md as pure functions of (lease, entry, now). The LOCAL store calls
 * them directly; the SQL store states the same rules in its WHERE clauses; property tests check
 * both against these. No I/O, no clock: `now` is an argument.
 * @module
 */

/** What a store records about the holder of a key. */
export interface LeaseRecord {
  readonly ticketId: string;
  readonly released: boolean;
  /** Epoch ms (LOCAL) or µs (SQL): the unit only has to match `now`. */
  readonly expiry: number;
}

/** A lease is live while it is not released and now is before its expiry. */
export function isLive(lease: LeaseRecord | undefined, now: number): lease is LeaseRecord {
  return lease !== undefined && !lease.released && now < lease.expiry;
}

/** Whether `ticketId` holds the key live at `now`: the fencing condition of every write. */
export function holdsLive(lease: LeaseRecord | undefined, ticketId: string, now: number): boolean {
  return isLive(lease, now) && lease.ticketId === ticketId;
}

/** The outcome of asking for a ticket. */
export type GrantOutcome = "granted" | "superseded" | "missing";

/**
 * Decides a grant. `askedRevision` is `null` for openNewTicket; `entryRevision` is `undefined`
 * when no entry exists.
 *
 * - a live holder other than the asker supersedes every request;
 * - openNewTicket: granted only if no entry exists, else superseded;
 * - openTicket: missing if no entry or the entry is older than asked, superseded if newer.
 */
export function decideGrant(
  lease: LeaseRecord | undefined,
  askedRevision: number | null,
  entryRevision: number | undefined,
  now: number,
): GrantOutcome {
  if (isLive(lease, now)) return "superseded";
  if (askedRevision === null) return entryRevision === undefined ? "granted" : "superseded";
  if (entryRevision === undefined || entryRevision < askedRevision) return "missing";
  return entryRevision > askedRevision ? "superseded" : "granted";
}
