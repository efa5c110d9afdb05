/**
 * One actor's view of the cache: the real cache, with renewals that fail, are refused or come
 * back late as planned, and every grant, renewal and close reported to the {@link GrantLedger}.
 * @module
 */
import { ECacheTicket, ECacheUnavailable } from "../../../src/base/errors.js";
import { sleep, type Timers } from "../../../src/base/timers.js";
import type { CacheTicket, JobCache } from "../../../src/base/types.js";
import type { TicketCache } from "../../../src/runtime/ticket-actor.js";
import type { GrantLedger } from "./grant-ledger.js";

/** What one renewal attempt does. */
export type RenewalFault =
  | { readonly kind: "ok" }
  /** The store cannot be reached: the heartbeat retries, then gives the lease up. */
  | { readonly kind: "unavailable" }
  /** The store says the lease is gone (ECacheTicket): no retry. */
  | { readonly kind: "lost" }
  /** The renewal reaches the store `ms` late (a slow network, a paused heartbeat). */
  | { readonly kind: "late"; readonly ms: number };

function granted(ticket: CacheTicket): boolean {
  return !ticket.superseded && !ticket.missing;
}

/** `cache` as actor `actor` sees it, with `faults` applied to its renewals in order. */
export function faultyCache(
  cache: JobCache<unknown>,
  actor: number,
  faults: readonly RenewalFault[],
  ledger: GrantLedger,
  timers: Timers,
): TicketCache {
  let attempts = 0;
  return {
    async openTicket(key, revision, durationMs) {
      const ticket = await cache.openTicket(key, revision, durationMs);
      if (granted(ticket)) ledger.granted(actor, ticket.expiry.getTime());
      return ticket;
    },
    async openNewTicket(key, durationMs) {
      const ticket = await cache.openNewTicket(key, durationMs);
      if (granted(ticket)) ledger.granted(actor, ticket.expiry.getTime());
      return ticket;
    },
    async renewTicket(ticket, durationMs) {
      const fault = faults[attempts] ?? { kind: "ok" };
      attempts += 1;
      if (fault.kind === "unavailable") throw new ECacheUnavailable("injected: the store cannot be reached");
      if (fault.kind === "lost") throw new ECacheTicket("injected: the store says the lease is gone");
      if (fault.kind === "late") await sleep(fault.ms, timers);
      const renewed = await cache.renewTicket(ticket, durationMs);
      ledger.renewed(actor, renewed.expiry.getTime());
      return renewed;
    },
    async closeTicket(ticket) {
      // released before the store frees the key: from here another actor may take it
      ledger.released(actor);
      await cache.closeTicket(ticket);
    },
  };
}
