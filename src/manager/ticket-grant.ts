/**
 * What the JobCache knows about a ticket it handed out. A renewal makes a new ticket object that
 * shares the same grant (same lease, same revision tracking) with its own expiry.
 * @module
 */

/** Identifies one cache of one manager: tickets are only valid within their scope. */
export interface CacheScope {
  readonly cacheName: string;
}

/** One granted lease, as the client tracks it. */
export interface TicketGrant {
  readonly scope: CacheScope;
  readonly key: string;
  readonly ticketId: string;
  /** Granted by openNewTicket: the only kind of ticket that may create an entry. */
  readonly forCreate: boolean;
  /** Revision the holder last saw: the fencing condition of its next write (0 = no entry). */
  seenRevision: number;
  closed: boolean;
}

/** The client-side state behind one ticket object. */
export interface TicketState {
  readonly scope: CacheScope;
  readonly key: string;
  /** Undefined when the ticket was refused (superseded or missing): it holds nothing. */
  readonly grant: TicketGrant | undefined;
  readonly supersededAtGrant: boolean;
  readonly missing: boolean;
  /**
   * Local-clock deadline: the local time the request was sent plus the duration. It is never
   * later than the store's expiry, so a skewed client clock cannot make a ticket look live
   * longer than the store will honour it.
   */
  readonly localDeadline: number;
}
