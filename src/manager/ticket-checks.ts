import type { Clock } from "../base/clock.js";
import { describeLocation, ECacheTicket } from "../base/errors.js";
import { ticketState } from "./ticket.js";
import type { CacheScope, TicketGrant } from "./ticket-grant.js";

/**
 * The ticket step of the check order: the ticket must be one this cache granted, not superseded,
 * not missing, not closed, and not past its deadline by the local clock. Returns its grant.
 */
export function requireLiveGrant(ticket: unknown, scope: CacheScope, clock: Clock): TicketGrant {
  const state = ticketState(ticket);
  const cacheName = scope.cacheName;
  if (state === undefined || state.scope !== scope) {
    const key = (ticket as { key?: unknown }).key;
    throw new ECacheTicket(
      `Unknown ticket${typeof key === "string" ? ` for ${describeLocation(cacheName, key)}` : ` in cache "${cacheName}"`}: ` +
        "use a ticket granted by this cache (openTicket / openNewTicket)",
      { cacheName, key: typeof key === "string" ? key : undefined },
    );
  }
  const where = { cacheName, key: state.key };
  const location = describeLocation(cacheName, state.key);
  if (state.missing) {
    throw new ECacheTicket(`Ticket for ${location} is missing: no entry at the requested revision`, where);
  }
  if (state.grant === undefined || state.supersededAtGrant) {
    throw new ECacheTicket(
      `Ticket for ${location} was superseded: another ticket or revision holds the key`,
      where,
    );
  }
  if (state.grant.closed) {
    throw new ECacheTicket(`Ticket for ${location} is closed`, where);
  }
  if (clock.now() >= state.localDeadline) {
    throw new ECacheTicket(`Ticket for ${location} has expired; open a new ticket`, where);
  }
  return state.grant;
}
